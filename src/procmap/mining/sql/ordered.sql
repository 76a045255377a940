-- Each event with the one that directly follows it in its case.
-- Order within a case: start time, then time, then file order (a stable sort, as
-- PM4Py's). wait = seconds from this event's end to the next event's start.
SELECT
    case_id,
    activity,
    lane,
    customer,
    ts,
    ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY start_ts, ts, rownum) AS position,
    LEAD(activity) OVER (PARTITION BY case_id ORDER BY start_ts, ts, rownum) AS next_activity,
    LEAD(lane) OVER (PARTITION BY case_id ORDER BY start_ts, ts, rownum) AS next_lane,
    LEAD(start_ts) OVER (PARTITION BY case_id ORDER BY start_ts, ts, rownum) - ts AS wait
FROM log
