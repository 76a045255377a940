-- Each case's variant: its activities in order.
SELECT case_id, LIST_TRANSFORM(events, lambda e: e.activity) AS variant
FROM paths
