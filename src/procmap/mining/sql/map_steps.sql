-- How often each point of a map happens: its events and the cases it comes in.
-- map_steps(activity, step) says which step each matched activity stands for;
-- map_points(point, step) which matched steps count for each point of the map.
SELECT p.point, COUNT(*) AS times, COUNT(DISTINCT l.case_id) AS cases
FROM log AS l
JOIN map_steps AS m ON m.activity = l.activity
JOIN map_points AS p ON p.step = m.step
GROUP BY p.point
ORDER BY p.point
