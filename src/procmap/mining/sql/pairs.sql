-- Each event with the one that directly follows it in its case (from the cases'
-- ordered lists, of events with one time each): wait = seconds between the two.
SELECT p.source, p.target, p.wait
FROM (
    SELECT UNNEST(LIST_TRANSFORM(
        LIST_SLICE(events, 2, ARRAY_LENGTH(events)),
        lambda e, i: {'source': events[i].activity, 'target': e.activity, 'wait': e.ts - events[i].ts}
    )) AS p
    FROM paths
)
