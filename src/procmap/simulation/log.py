"""The simulated event log: one row per piece of work, as a real log has it.

Columns (the names ``discover``, ``conform`` and ``analyze --log`` look for
first): ``case:concept:name``, ``concept:name`` (the step's name),
``org:resource`` (the lane and which of its people, e.g. ``Claims handling 3``),
``org:group`` (the lane), ``start_timestamp`` and ``time:timestamp`` (the end).
Start and end events of the map are rows too (no time passes in them);
decisions and parallel steps are not, as in a real log. The clock starts on
Monday 5 January 2026 at 00:00, so calendars fall on the right weekdays.

Written as CSV, Parquet (pyarrow) or XES (lxml, streamed; one event per piece
of work with its start as ``start_timestamp``).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from procmap.simulation.model import PASS, SimModel

if TYPE_CHECKING:
    import pyarrow as pa

    from procmap.simulation.engine import Replication

EPOCH = datetime(2026, 1, 5, tzinfo=UTC)
"""Time zero of a run: a Monday."""
FORMATS = ("csv", "parquet", "xes")


def log_format(name: str) -> str | None:
    """The format a file name asks for, or None."""
    lower = name.lower()
    for fmt, endings in (("csv", (".csv",)), ("parquet", (".parquet", ".pq")),
                         ("xes", (".xes", ".xes.gz"))):
        if lower.endswith(endings):
            return fmt
    return None


def event_table(model: SimModel, rep: Replication, *, first_case: int = 0) -> pa.Table:
    """The log of one replication as an Arrow table, in the order the work ended.

    Cases are numbered from 1; ``first_case`` (the warm-up) is left out.
    """
    import pyarrow as pa

    if rep.log is None:
        raise ValueError("the run kept no log: simulate(..., log=True)")
    case = np.frombuffer(rep.log["case"], dtype=np.int64) if rep.log["case"] else np.zeros(0, np.int64)
    step = np.frombuffer(rep.log["step"], dtype=np.int32) if rep.log["step"] else np.zeros(0, np.int32)
    server = np.frombuffer(rep.log["server"], dtype=np.int32) if rep.log["server"] else np.zeros(0, np.int32)
    start = np.frombuffer(rep.log["start"], dtype=float) if rep.log["start"] else np.zeros(0)
    end = np.frombuffer(rep.log["end"], dtype=float) if rep.log["end"] else np.zeros(0)
    keep = case >= first_case
    case, step, server, start, end = case[keep], step[keep], server[keep], start[keep], end[keep]
    order = np.lexsort((end, case))  # each case's work together, in the order it ended
    case, step, server, start, end = case[order], step[order], server[order], start[order], end[order]

    lanes = [model.lanes[model.lane_of[i]] for i in range(len(model.steps))]
    lane_no = np.asarray(model.lane_of, dtype=np.int32)[step] if len(step) else np.zeros(0, np.int32)
    group = pa.DictionaryArray.from_arrays(pa.array(lane_no), [ln.title for ln in model.lanes])
    # a person of a lane with a capacity has a number; a lane nobody queues in is its name
    names: dict[tuple[int, int], int] = {}
    labels: list[str] = []
    codes = np.empty(len(step), dtype=np.int32)
    for k, (s, srv) in enumerate(zip(step.tolist(), server.tolist(), strict=True)):
        key = (model.lane_of[s], srv)
        code = names.get(key)
        if code is None:
            code = names[key] = len(labels)
            labels.append(lanes[s].title if srv < 0 else f"{lanes[s].title} {srv}")
        codes[k] = code
    base = int(EPOCH.timestamp() * 1_000_000)

    def stamps(seconds: np.ndarray) -> pa.Array:
        millis = base // 1000 + np.round(seconds * 1000).astype(np.int64)
        return pa.array(millis, type=pa.timestamp("ms", tz="UTC"))

    return pa.table({
        "case:concept:name": pa.array((case + 1).astype(np.int64)).cast(pa.string()),
        "concept:name": pa.DictionaryArray.from_arrays(pa.array(step), model.titles),
        "org:resource": pa.DictionaryArray.from_arrays(pa.array(codes), labels),
        "org:group": group,
        "start_timestamp": stamps(start),
        "time:timestamp": stamps(end),
    })


def log_bytes(table: pa.Table, fmt: str, *, title: str = "") -> bytes:
    """The table as a file of format ``fmt`` (csv, parquet or xes)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        sink = io.BytesIO()
        meta = {b"written_by": f"Written by procmap simulate {title}".encode()}
        pq.write_table(table.replace_schema_metadata(meta), sink)
        return sink.getvalue()
    if fmt == "csv":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        plain = pa.table({
            name: (col.cast(pa.string()) if pa.types.is_dictionary(col.type) else col)
            for name, col in zip(table.column_names, table.columns, strict=True)
        })
        plain = plain.set_column(4, "start_timestamp", _iso(plain.column(4)))
        plain = plain.set_column(5, "time:timestamp", _iso(plain.column(5)))
        sink = io.BytesIO()
        pacsv.write_csv(plain, sink)
        return sink.getvalue()
    if fmt == "xes":
        return _xes(table, title)
    raise ValueError(f"no log format {fmt}; choose one of {', '.join(FORMATS)}")


def _iso(column: pa.ChunkedArray) -> pa.Array:
    import pyarrow.compute as pc

    text = pc.strftime(column, format="%Y-%m-%dT%H:%M:%S")
    return pc.binary_join_element_wise(text, "+00:00", "")


def _xes(table: pa.Table, title: str) -> bytes:
    from lxml import etree

    cases = table.column("case:concept:name").to_pylist()
    acts = table.column("concept:name").to_pylist()
    res = table.column("org:resource").to_pylist()
    groups = table.column("org:group").to_pylist()
    starts = _iso(table.column("start_timestamp")).to_pylist()
    ends = _iso(table.column("time:timestamp")).to_pylist()
    sink = io.BytesIO()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        xf.write(etree.Comment(f" Written by procmap simulate {title} "))
        with xf.element("log", {"xes.version": "1.0", "xmlns": "http://www.xes-standard.org/"}):
            for name, prefix, uri in (
                ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
                ("Time", "time", "http://www.xes-standard.org/time.xesext"),
                ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
                ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
            ):
                xf.write(etree.Element("extension", name=name, prefix=prefix, uri=uri))
            k = 0
            total = len(cases)
            while k < total:
                current = cases[k]
                with xf.element("trace"):
                    xf.write(etree.Element("string", key="concept:name", value=current))
                    while k < total and cases[k] == current:
                        event = etree.Element("event")
                        etree.SubElement(event, "string", key="concept:name", value=acts[k])
                        etree.SubElement(event, "string", key="org:resource", value=res[k])
                        etree.SubElement(event, "string", key="org:group", value=groups[k])
                        etree.SubElement(event, "string", key="lifecycle:transition",
                                         value="complete")
                        etree.SubElement(event, "date", key="start_timestamp", value=starts[k])
                        etree.SubElement(event, "date", key="time:timestamp", value=ends[k])
                        xf.write(event)
                        k += 1
    return sink.getvalue()


def logged_steps(model: SimModel) -> list[str]:
    """The steps that appear in the log (work, waits, start and end events)."""
    return [s for i, s in enumerate(model.steps)
            if model.does[i] != PASS or model.process.steps[s].kind.value in ("start", "end")]
