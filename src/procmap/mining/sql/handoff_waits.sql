-- Hand-offs between lanes: how often, and the wait from one lane's event to the next's.
SELECT lane, next_lane, handoffs, cases, waits[1] AS median_wait, waits[2] AS p90_wait
FROM (
    SELECT lane, next_lane, COUNT(*) AS handoffs, COUNT(DISTINCT case_id) AS cases,
           QUANTILE_CONT(wait, [0.5, 0.9]) AS waits
    FROM ordered
    WHERE next_lane IS NOT NULL AND lane IS NOT NULL AND next_lane <> lane
    GROUP BY lane, next_lane
)
ORDER BY median_wait DESC, handoffs DESC, lane, next_lane
