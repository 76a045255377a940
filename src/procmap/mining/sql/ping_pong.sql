-- Ping-pong between lanes: work goes from lane A to lane B and straight back to A.
WITH handoffs AS (
    SELECT case_id, position, lane, next_lane
    FROM ordered
    WHERE next_lane IS NOT NULL AND lane IS NOT NULL AND next_lane <> lane
),
returns AS (
    SELECT case_id, lane, next_lane,
           LEAD(next_lane) OVER (PARTITION BY case_id ORDER BY position) AS back_to
    FROM handoffs
)
SELECT lane, next_lane, COUNT(*) AS times, COUNT(DISTINCT case_id) AS cases
FROM returns
WHERE back_to = lane
GROUP BY lane, next_lane
ORDER BY times DESC, lane, next_lane
