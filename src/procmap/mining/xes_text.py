"""The fast way through XES: the engine cuts the text into traces and events itself.

Most XES files are written by a handful of libraries in one plain shape: each
attribute an empty element ``<string key="…" value="…"/>``, no comments, no
CDATA, no nested attributes inside events. For those, the text is read in
blocks of about :data:`BLOCK` bytes cut after a ``</trace>`` (so memory holds
two blocks, never the file), split at ``<trace`` into one row per trace (in a
thread, while the engine works on the block before), and DuckDB splits each
trace at ``<event``, each event at ``"``, and picks the wanted values from the
pieces, on every core. Anything else (a shape this does not read exactly)
makes :func:`load` return ``False``, and the reader falls back on the streamed
XML parser (:mod:`procmap.mining.xes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from procmap.mining.engine import sql_text
from procmap.mining.xes import CASE_KEY, opened

if TYPE_CHECKING:
    import pyarrow as pa

BLOCK = 16 * 2**20
MAX_PIECE = 4 * BLOCK
"""Text held at most without a ``</trace>`` (after the last trace, only ``</log>`` is)."""
TRACES_PER_BATCH = 256
"""Rows of one Arrow record batch: the unit DuckDB hands to a core."""
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))
_UNUSUAL = "contains(chunk, '<!') OR contains(chunk, '&#') OR contains(chunk, 'key=''')"
"""Comments, CDATA, character references, single-quoted attributes: the XML parser's job."""


def _blocks(path: Path) -> Iterator[tuple[bytes, int]]:
    """Pieces of the (decompressed) text that end just after a ``</trace>``, and the bytes read."""
    with opened(path) as (raw, stream):
        rest = b""
        while True:
            data = stream.read(BLOCK)
            if not data:
                if rest:
                    yield rest, raw.tell()
                return
            cut = data.rfind(b"</trace>")
            if cut < 0:
                rest += data
                if len(rest) > MAX_PIECE:  # no trace is this long: the XML parser says why
                    yield rest, raw.tell()
                    return
                continue
            cut += len(b"</trace>")
            yield rest + data[:cut], raw.tell()
            rest = data[cut:]


@dataclass(frozen=True, slots=True)
class _Block:
    """One block cut into traces, with what :func:`_load` decides on."""

    head: bytes
    """The text before the first ``<trace`` (the log's header in the first block)."""
    traces: pa.Table | None
    """One row per trace (``trace_no``, ``chunk``); ``None`` when there is none, or not in UTF-8."""
    utf8: bool
    ends_log: bool
    """The last piece of the file: text after the last ``</trace>``."""
    complete: bool
    """Ends with ``</log>`` and holds no trace: not cut short."""
    done: int


def _cut(data: bytes, done: int) -> _Block:
    """Split ``data`` at ``<trace`` into an Arrow table: the part of the work that is Python's."""
    import pyarrow as pa

    pieces = data.split(b"<trace")
    ends_log = not data.endswith(b"</trace>")
    complete = b"<trace" not in data and data.rstrip().endswith(b"</log>")
    traces = None
    if len(pieces) > 1:
        try:
            chunks = pa.array(pieces[1:], pa.binary()).cast(pa.string())
        except pa.ArrowInvalid:  # not UTF-8
            return _Block(pieces[0], None, False, ends_log, complete, done)
        table = pa.table({"trace_no": pa.array(range(len(pieces) - 1), pa.int64()), "chunk": chunks})
        traces = pa.Table.from_batches(table.to_batches(TRACES_PER_BATCH))
    return _Block(pieces[0], traces, True, ends_log, complete, done)


def _prepared(path: Path) -> Iterator[_Block]:
    """The blocks of ``path``, each cut in a thread while the engine works on the one before."""
    from concurrent.futures import ThreadPoolExecutor

    blocks = _blocks(path)

    def following() -> _Block | None:
        item = next(blocks, None)
        return None if item is None else _cut(*item)

    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="procmap-xes") as pool:
            ahead = pool.submit(following)
            while (block := ahead.result()) is not None:
                ahead = pool.submit(following)
                yield block
    finally:
        blocks.close()


def _value(parts: str, key: str) -> str:
    """The value of attribute ``key`` from ``parts``, the text of an element split at ``"``.

    ``<string key="K" value="V"/>`` splits into ``… key=``, ``K``, `` value=``,
    ``V``, …: the value is two places after the key. XML's five named entities
    are decoded where the trace has an ``&``.
    """
    text = f"nullif({parts}[list_position({parts}, {sql_text(key)}) + 2], '')"
    decoded = text
    for entity, char in _ENTITIES:
        decoded = f"replace({decoded}, '{entity}', {sql_text(char)})"
    return f"CASE WHEN amp THEN {decoded} ELSE {text} END"


def _odd_key(parts: str, key: str) -> str:
    """SQL true when ``key`` is in ``parts`` but not as `` key="K" value="…"`` (then the
    value read two places after it would be wrong)."""
    at = f"list_position({parts}, {sql_text(key)})"
    return (f"coalesce({at} > 0 AND NOT (ends_with({parts}[{at} - 1], ' key=') "
            f"AND {parts}[{at} + 1] = ' value='), false)")


def _select(keys: list[str]) -> str:
    """The query over the traces of one block (table ``traces``): one row per event.

    Trace attributes are read once per trace from its head (the text before its
    first event). Each event's piece (from ``<event`` to the next) is split at
    ``"`` once, and every value is picked from that list.
    """
    trace_keys = [k for k in keys if k.startswith("case:")]
    event_keys = [k for k in keys if not k.startswith("case:")]

    def name(key: str) -> str:
        return '"' + key.replace('"', '""') + '"'

    trace_values = "".join(
        f", {_value('head_parts', k.removeprefix('case:'))} AS {name(k)}" for k in trace_keys)
    trace_odd = " OR ".join(
        ["contains(head, '</')", *(_odd_key("head_parts", k.removeprefix("case:")) for k in trace_keys)])
    event_values = ", ".join(f"{_value('parts', k)} AS {name(k)}" for k in event_keys)
    event_odd = " OR ".join([
        "trace_odd",
        "strpos(piece, '</') <> strpos(piece, '</event>')",     # nested attributes of an event
        "contains(substr(piece, strpos(piece, '</event>')), 'key=')",  # trace attributes after it
        *(_odd_key("parts", k) for k in event_keys),
    ])
    carried = "".join(f", {name(k)}" for k in trace_keys)
    return f"""
        WITH split AS (
            SELECT trace_no, string_split(chunk, '<event') AS e, contains(chunk, '&') AS amp,
                   {_UNUSUAL} AS unusual
            FROM traces
        ), heads AS (
            SELECT trace_no, e, amp, unusual, e[1] AS head, string_split(e[1], '"') AS head_parts
            FROM split
        ), trace_values AS (
            SELECT trace_no, e, amp, unusual OR {trace_odd} AS trace_odd{trace_values}
            FROM heads
        ), events AS (
            SELECT trace_no, amp, trace_odd{carried}, unnest(e[2:]) AS piece,
                   unnest(range(1, len(e))) AS event_no
            FROM trace_values
        ), event_parts AS (
            SELECT *, string_split(piece, '"') AS parts FROM events
        )
        SELECT {", ".join(name(k) for k in keys)}, ({event_odd}) AS odd
        FROM (SELECT *{"," if event_values else ""} {event_values} FROM event_parts)
        ORDER BY trace_no, event_no
    """


def load(path: Path, con, keys: set[str], insert: str,
         on_progress: Callable[[float], None] | None = None) -> bool:
    """Insert the events of ``path`` with ``insert`` (reading table ``batch``); ``False`` if it cannot.

    ``insert`` is run once per block after the block's events are in the
    temporary table ``batch`` (one column per key, ``case:concept:name`` from the
    trace). On ``False`` some blocks may have been inserted: the caller starts again.
    """
    try:
        return _load(path, con, _select(sorted(keys | {CASE_KEY})), insert, on_progress)
    finally:
        con.execute("DROP TABLE IF EXISTS batch").fetchall()


def _load(path: Path, con, query: str, insert: str, on_progress) -> bool:
    first, ended = True, False
    for block in _prepared(path):
        if block.ends_log:  # the last piece: what follows the last trace
            if not block.complete:
                return False  # cut short: the XML parser says where
            ended = True
        if first and not _plain_utf8(block.head):
            return False
        if b"<event" in block.head or (block.traces is None and b"event" in block.head):
            return False  # events outside traces, or tag names with a prefix
        if not block.utf8:
            return False
        first = False
        if block.traces is None:
            continue
        con.register("traces", block.traces)
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE batch AS {query}").fetchall()
        finally:
            con.unregister("traces")
        if con.execute("SELECT bool_or(odd) FROM batch").fetchall()[0][0]:
            return False
        con.execute(insert).fetchall()
        if on_progress is not None:
            on_progress(block.done)
    return ended


def _plain_utf8(head: bytes) -> bool:
    declaration = head[:200].split(b"?>", 1)[0].lower()
    return b"encoding" not in declaration or b"utf-8" in declaration or b"utf8" in declaration

