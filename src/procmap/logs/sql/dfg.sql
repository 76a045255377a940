-- Directly-follows pairs: how often, and the wait between them. (In how many
-- cases each pair comes is counted from the variants: the same number, from a few
-- thousand variants instead of every event.) The median and the 90th percentile
-- come from one sort of each pair's waits.
SELECT source, target, frequency, mean_wait, waits[1] AS median_wait, waits[2] AS p90_wait
FROM (
    SELECT source, target, COUNT(*) AS frequency, AVG(wait) AS mean_wait,
           QUANTILE_CONT(wait, [0.5, 0.9]) AS waits
    FROM pairs
    GROUP BY source, target
)
ORDER BY frequency DESC, source, target
