-- What a typical case goes through: averages and medians over the cases.
SELECT cases, mean_handoffs, median_handoffs, max_handoffs, mean_contacts, median_contacts,
       max_contacts, rework_share, mean_rework,
       durations[1] AS median_duration, durations[2] AS p90_duration
FROM (
    SELECT
        COUNT(*) AS cases,
        AVG(handoffs) AS mean_handoffs,
        MEDIAN(handoffs) AS median_handoffs,
        MAX(handoffs) AS max_handoffs,
        AVG(contacts) AS mean_contacts,
        MEDIAN(contacts) AS median_contacts,
        MAX(contacts) AS max_contacts,
        AVG(CASE WHEN rework > 0 THEN 1.0 ELSE 0.0 END) AS rework_share,
        AVG(rework) AS mean_rework,
        QUANTILE_CONT(duration, [0.5, 0.9]) AS durations
    FROM case_evidence
)
