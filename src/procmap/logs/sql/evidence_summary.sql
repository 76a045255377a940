-- What a typical case goes through: averages and medians over the cases.
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
    MEDIAN(duration) AS median_duration,
    PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY duration) AS p90_duration
FROM case_evidence
