-- Each variant with the median duration of its cases (first event to last, seconds),
-- found with the variants themselves (variants.sql).
SELECT variant, median_duration
FROM variant_counts
