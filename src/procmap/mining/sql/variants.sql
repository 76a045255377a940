-- The variants, most frequent first, numbered in that order.
SELECT ROW_NUMBER() OVER (ORDER BY cases DESC, variant) AS number, variant, cases
FROM (
    SELECT variant, COUNT(*) AS cases
    FROM case_variants
    GROUP BY variant
)
ORDER BY number
