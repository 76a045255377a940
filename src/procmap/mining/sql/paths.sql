-- Each case's events in order, as one list per case: by time, then file order (a
-- stable sort, as PM4Py's). Sorting each case's short list costs less than one sort
-- of every event of the log. (For a log whose events have one time each; a log with
-- start times is ordered by paths_started.)
SELECT
    case_id,
    LIST_SORT(LIST({'ts': ts, 'rownum': rownum, 'activity': activity})) AS events
FROM log
GROUP BY case_id
