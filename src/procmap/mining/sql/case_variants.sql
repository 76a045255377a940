-- Each case's variant: its activities in order, and its duration (first event to
-- last, seconds) for its variant's median.
SELECT case_id, LIST_TRANSFORM(events, lambda e: e.activity) AS variant,
       events[ARRAY_LENGTH(events)].ts - events[1].ts AS duration
FROM paths
