-- Activities done again within a case: in how many cases, and how many extra times.
SELECT activity, COUNT(*) AS cases, SUM(times - 1) AS extra
FROM (
    SELECT case_id, activity, COUNT(*) AS times
    FROM ordered
    GROUP BY case_id, activity
)
WHERE times > 1
GROUP BY activity
ORDER BY extra DESC, activity
