-- The variants, most frequent first, numbered in that order, each with the median
-- duration of its cases (from the same pass over the cases).
SELECT ROW_NUMBER() OVER (ORDER BY cases DESC, variant) AS number, variant, cases, median_duration
FROM (
    SELECT variant, COUNT(*) AS cases, QUANTILE_CONT(duration, 0.5) AS median_duration
    FROM case_variants
    GROUP BY variant
)
ORDER BY number
