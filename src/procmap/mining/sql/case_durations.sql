-- The median and 90th percentile of the cases' durations (first event to last, seconds).
SELECT QUANTILE_CONT(duration, [0.5, 0.9]) AS durations
FROM (SELECT events[ARRAY_LENGTH(events)].ts - events[1].ts AS duration FROM paths)
