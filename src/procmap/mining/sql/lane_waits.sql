-- Where cases wait: the waits before each lane's events, summed and typical.
SELECT lane, events, total_wait, waits[1] AS median_wait, waits[2] AS p90_wait
FROM (
    SELECT next_lane AS lane, COUNT(*) AS events, SUM(wait) AS total_wait,
           QUANTILE_CONT(wait, [0.5, 0.9]) AS waits
    FROM ordered
    WHERE next_lane IS NOT NULL
    GROUP BY next_lane
)
ORDER BY total_wait DESC, lane
