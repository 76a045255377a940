-- How often each step of a map happens: its events and the cases it comes in.
-- map_steps(activity, step) says which step each matched activity stands for.
SELECT m.step, COUNT(*) AS times, COUNT(DISTINCT l.case_id) AS cases
FROM log AS l
JOIN map_steps AS m ON m.activity = l.activity
GROUP BY m.step
ORDER BY m.step
