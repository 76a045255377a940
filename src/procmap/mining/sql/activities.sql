-- Each activity: events, cases, its most frequent lane, the wait before it, and where
-- it comes in a case on average (to order the steps of a map). Counts and places come
-- from the variants (each weighed by its cases), lanes from the events.
WITH waits AS (
    SELECT activity, waits[1] AS median_wait, waits[2] AS p90_wait
    FROM (SELECT target AS activity, QUANTILE_CONT(wait, [0.5, 0.9]) AS waits FROM pairs GROUP BY target)
),
-- one row per variant and position, the variant by its number (never its whole list:
-- comparing lists per position made one long case quadratic)
places AS (
    SELECT v.number, v.cases, LIST_EXTRACT(v.variant, t.position) AS activity, t.position
    FROM variant_counts AS v, UNNEST(RANGE(1, ARRAY_LENGTH(v.variant) + 1)) AS t(position)
),
counted AS (
    SELECT activity, SUM(cases) AS events, SUM(position * cases) AS positions
    FROM places
    GROUP BY activity
),
in_cases AS (
    SELECT activity, SUM(cases) AS cases
    FROM (SELECT DISTINCT number, activity, cases FROM places) AS once
    GROUP BY activity
),
lanes AS (
    SELECT activity, MODE(lane) AS lane, BOOL_OR(customer) AS customer
    FROM log
    GROUP BY activity
)
SELECT c.activity, c.events, i.cases, l.lane, l.customer, w.median_wait, w.p90_wait,
       c.positions / c.events AS position
FROM counted AS c
JOIN in_cases AS i ON i.activity = c.activity
JOIN lanes AS l ON l.activity = c.activity
LEFT JOIN waits AS w ON w.activity = c.activity
ORDER BY position, c.activity
