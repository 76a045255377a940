-- How often each hand-off of a map happens, and the wait from one step to the next.
-- map_watch(grp, step): the steps each group looks at; map_pairs(grp, handoff, source,
-- target): a hand-off happens when, among the events of its group's steps in a case,
-- an event of source is directly followed by one of target. wait = seconds from the
-- source event's end to the target event's start.
WITH events AS (
    SELECT l.case_id, m.step, l.ts, l.start_ts,
           ROW_NUMBER() OVER (PARTITION BY l.case_id ORDER BY l.start_ts, l.ts, l.rownum) AS position
    FROM log AS l
    JOIN map_steps AS m ON m.activity = l.activity
),
followed AS (
    SELECT w.grp, e.case_id, e.step,
           LEAD(e.step) OVER (PARTITION BY w.grp, e.case_id ORDER BY e.position) AS next_step,
           LEAD(e.start_ts) OVER (PARTITION BY w.grp, e.case_id ORDER BY e.position) - e.ts AS wait
    FROM events AS e
    JOIN map_watch AS w ON w.step = e.step
)
SELECT handoff, times, cases, waits[1] AS median_wait, waits[2] AS p90_wait
FROM (
    SELECT p.handoff, COUNT(*) AS times, COUNT(DISTINCT f.case_id) AS cases,
           QUANTILE_CONT(f.wait, [0.5, 0.9]) AS waits
    FROM followed AS f
    JOIN map_pairs AS p ON p.grp = f.grp AND p.source = f.step AND p.target = f.next_step
    GROUP BY p.handoff
)
ORDER BY handoff
