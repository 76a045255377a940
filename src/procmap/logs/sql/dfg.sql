-- Directly-follows pairs: how often, and the wait between them. (In how many
-- cases each pair comes is counted from the variants: the same number, from a few
-- thousand variants instead of every event.)
SELECT
    source,
    target,
    COUNT(*) AS frequency,
    AVG(wait) AS mean_wait,
    MEDIAN(wait) AS median_wait,
    PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY wait) AS p90_wait
FROM pairs
GROUP BY source, target
ORDER BY frequency DESC, source, target
