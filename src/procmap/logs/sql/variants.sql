-- The variants, most frequent first.
SELECT variant, COUNT(*) AS cases
FROM case_variants
GROUP BY variant
ORDER BY cases DESC, variant
