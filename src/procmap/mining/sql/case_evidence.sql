-- Per case: events, hand-offs (the lane changes from one event to the next),
-- customer contacts, rework (events of an activity already done in the case),
-- and how long the case ran.
SELECT
    case_id,
    COUNT(*) AS events,
    SUM(CASE WHEN next_lane IS NOT NULL AND lane IS NOT NULL AND next_lane <> lane THEN 1 ELSE 0 END) AS handoffs,
    SUM(CASE WHEN customer THEN 1 ELSE 0 END) AS contacts,
    COUNT(*) - COUNT(DISTINCT activity) AS rework,
    MAX(ts) - MIN(ts) AS duration
FROM ordered
GROUP BY case_id
