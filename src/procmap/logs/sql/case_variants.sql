-- Each case's variant: its activities in the order of the directly-follows pairs (start, time, file order).
SELECT case_id, LIST(activity ORDER BY start_ts, ts, rownum) AS variant
FROM log
GROUP BY case_id
