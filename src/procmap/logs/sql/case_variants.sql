-- Each case's variant: its activities in the order of the directly-follows pairs
-- (the position in the ordered events of the case).
SELECT case_id, LIST(activity ORDER BY position) AS variant
FROM ordered
GROUP BY case_id
