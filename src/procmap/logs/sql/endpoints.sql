-- How many cases start and end with each activity.
SELECT 'start' AS side, activity, COUNT(*) AS cases
FROM ordered
WHERE position = 1
GROUP BY activity
UNION ALL
SELECT 'end' AS side, activity, COUNT(*) AS cases
FROM ordered
WHERE next_activity IS NULL
GROUP BY activity
ORDER BY side, cases DESC, activity
