-- Each variant with the median duration of its cases (first event to last, seconds),
-- and each case's duration for the log's median and 90th percentile.
SELECT LIST_TRANSFORM(events, lambda e: e.activity) AS variant,
       QUANTILE_CONT(events[ARRAY_LENGTH(events)].ts - events[1].ts, 0.5) AS median_duration
FROM paths
GROUP BY variant
