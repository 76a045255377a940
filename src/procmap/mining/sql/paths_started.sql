-- Each case's events in order, as one list per case, for a log with start times: by
-- start time, then time, then file order (a stable sort, as PM4Py's).
SELECT
    case_id,
    LIST_SORT(LIST({'start_ts': start_ts, 'ts': ts, 'rownum': rownum, 'activity': activity})) AS events
FROM log
GROUP BY case_id
