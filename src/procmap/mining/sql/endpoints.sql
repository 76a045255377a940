-- How many cases start and end with each activity (from the variants).
SELECT 'start' AS side, LIST_EXTRACT(variant, 1) AS activity, SUM(cases) AS cases
FROM variant_counts
GROUP BY LIST_EXTRACT(variant, 1)
UNION ALL
SELECT 'end' AS side, LIST_EXTRACT(variant, ARRAY_LENGTH(variant)) AS activity, SUM(cases) AS cases
FROM variant_counts
GROUP BY LIST_EXTRACT(variant, ARRAY_LENGTH(variant))
ORDER BY side, cases DESC, activity
