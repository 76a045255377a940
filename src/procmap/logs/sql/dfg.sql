-- Directly-follows pairs: how often, and the wait between them. (In how many
-- cases each pair comes is counted from the variants: the same number, from a few
-- thousand variants instead of every event.)
SELECT
    activity AS source,
    next_activity AS target,
    COUNT(*) AS frequency,
    AVG(wait) AS mean_wait,
    MEDIAN(wait) AS median_wait,
    PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY wait) AS p90_wait
FROM ordered
WHERE next_activity IS NOT NULL
GROUP BY activity, next_activity
ORDER BY frequency DESC, source, target
