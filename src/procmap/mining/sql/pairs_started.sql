-- Each event with the one that directly follows it in its case (from the cases'
-- ordered lists, of events with start times): wait = seconds from this event's end
-- to the next event's start.
SELECT p.source, p.target, p.wait
FROM (
    SELECT UNNEST(LIST_TRANSFORM(
        LIST_SLICE(events, 2, ARRAY_LENGTH(events)),
        lambda e, i: {'source': events[i].activity, 'target': e.activity, 'wait': e.start_ts - events[i].ts}
    )) AS p
    FROM paths
)
