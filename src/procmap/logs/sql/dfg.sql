-- Directly-follows pairs: how often, in how many cases, and the wait between them.
SELECT
    activity AS source,
    next_activity AS target,
    COUNT(*) AS frequency,
    COUNT(DISTINCT case_id) AS cases,
    AVG(wait) AS mean_wait,
    MEDIAN(wait) AS median_wait,
    PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY wait) AS p90_wait
FROM ordered
WHERE next_activity IS NOT NULL
GROUP BY activity, next_activity
ORDER BY frequency DESC, source, target
