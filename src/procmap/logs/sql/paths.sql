-- Each case's events in order, as one list per case: by start time, then time, then
-- file order (a stable sort, as PM4Py's). Sorting each case's short list costs less
-- than one sort of every event of the log.
SELECT
    case_id,
    LIST_SORT(LIST({'start_ts': start_ts, 'ts': ts, 'rownum': rownum, 'activity': activity})) AS events
FROM log
GROUP BY case_id
