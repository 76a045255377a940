-- Directly-follows pairs: how often, in how many cases, and the wait between them.
-- A pair's cases are those of the variants it comes in, each variant counted once
-- however often the pair repeats in it: the same number as from every event, from
-- the variants instead. The median and the 90th percentile come from one sort of
-- each pair's waits.
WITH in_variants AS (
    SELECT DISTINCT number, cases, p.source, p.target
    FROM (
        SELECT number, cases, UNNEST(LIST_TRANSFORM(
            LIST_SLICE(steps, 2, ARRAY_LENGTH(steps)),
            lambda a, i: {'source': steps[i], 'target': a}
        )) AS p
        FROM (SELECT number, cases, variant AS steps FROM variant_counts)
    )
),
in_cases AS (
    SELECT source, target, SUM(cases) AS cases
    FROM in_variants
    GROUP BY source, target
),
waits AS (
    SELECT source, target, COUNT(*) AS frequency, AVG(wait) AS mean_wait,
           QUANTILE_CONT(wait, [0.5, 0.9]) AS waits
    FROM pairs
    GROUP BY source, target
)
SELECT w.source, w.target, w.frequency, c.cases, w.mean_wait,
       w.waits[1] AS median_wait, w.waits[2] AS p90_wait
FROM waits AS w
JOIN in_cases AS c ON c.source = w.source AND c.target = w.target
ORDER BY w.frequency DESC, w.source, w.target
