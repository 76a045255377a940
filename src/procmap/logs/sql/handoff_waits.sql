-- Hand-offs between lanes: how often, and the wait from one lane's event to the next's.
SELECT lane, next_lane, COUNT(*) AS handoffs, COUNT(DISTINCT case_id) AS cases,
       MEDIAN(wait) AS median_wait, PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY wait) AS p90_wait
FROM ordered
WHERE next_lane IS NOT NULL AND lane IS NOT NULL AND next_lane <> lane
GROUP BY lane, next_lane
ORDER BY median_wait DESC, handoffs DESC, lane, next_lane
