-- Each activity: events, cases, its most frequent lane, the wait before it, and where
-- it comes in a case on average (to order the steps of a map).
WITH waits AS (
    SELECT next_activity AS activity, MEDIAN(wait) AS median_wait,
           PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY wait) AS p90_wait
    FROM ordered
    WHERE next_activity IS NOT NULL
    GROUP BY next_activity
)
SELECT o.activity, COUNT(*) AS events, COUNT(DISTINCT o.case_id) AS cases,
       MODE(o.lane) AS lane, BOOL_OR(o.customer) AS customer,
       ANY_VALUE(w.median_wait) AS median_wait, ANY_VALUE(w.p90_wait) AS p90_wait,
       AVG(o.position) AS position
FROM ordered AS o
LEFT JOIN waits AS w ON w.activity = o.activity
GROUP BY o.activity
ORDER BY position, o.activity
