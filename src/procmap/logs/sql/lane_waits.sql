-- Where cases wait: the waits before each lane's events, summed and typical.
SELECT next_lane AS lane, COUNT(*) AS events, SUM(wait) AS total_wait,
       MEDIAN(wait) AS median_wait, PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY wait) AS p90_wait
FROM ordered
WHERE next_lane IS NOT NULL
GROUP BY next_lane
ORDER BY total_wait DESC, lane
