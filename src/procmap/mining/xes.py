"""XES (``.xes``, ``.xes.gz``) streamed into batches of columns.

lxml's ``iterparse`` reads the file a piece at a time; each event is read and
then cleared, so memory holds one batch of rows, never the whole tree. Values
stay text: the engine parses the timestamps.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from procmap.errors import MapError, SourceLocation

BATCH_ROWS = 200_000
CASE_KEY = "case:concept:name"
MAX_RATIO = 100
"""A ``.xes.gz`` may unpack to at most this many times its size (real logs: 20 to 50)."""
MIN_UNPACKED = 256 * 2**20
"""… or to this much, for small files."""


def _packed_size(raw: BinaryIO) -> int:
    import os

    try:
        return os.fstat(raw.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return 0


class _Bounded:
    """A decompressed stream that stops at what a log of its packed size can hold."""

    def __init__(self, stream: BinaryIO, path: Path, packed: int) -> None:
        self.stream = stream
        self.path = path
        self.limit = max(MIN_UNPACKED, MAX_RATIO * packed)
        self.packed = packed
        self.read_so_far = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size >= 0 else self.limit + 1 - self.read_so_far)
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            raise MapError(SourceLocation(str(self.path)), None,
                           f"unpacks to more than {self.limit / 2**20:,.0f} MiB, {MAX_RATIO} times "
                           f"its {self.packed / 2**20:,.1f} MiB: not an event log procmap reads "
                           "(an event log packs 20 to 50 times)")
        return data

    def close(self) -> None:
        self.stream.close()


def read_batches(
    path: Path, keys: set[str], on_progress: Callable[[float], None] | None = None
) -> Iterator[dict[str, list[str | None]]]:
    """Batches of events as columns ``{key: values}``.

    ``keys`` are the event attributes to keep; the trace's ``concept:name`` is
    kept as ``case:concept:name``, and other trace attributes named ``case:<key>``
    in ``keys`` are kept too. A key never seen comes back as a column of ``None``.

    Raises:
        MapError: the file is not well-formed XML, with the line where it broke.
    """
    from lxml import etree

    event_keys = sorted(k for k in keys if k != CASE_KEY)
    trace_keys = {k.removeprefix("case:") for k in keys if k.startswith("case:")} | {"concept:name"}
    columns: dict[str, list[str | None]] = {k: [] for k in [CASE_KEY, *event_keys]}
    rows: list[dict[str, str]] = []
    with opened(path) as (raw, stream):
        parser = etree.iterparse(
            stream, events=("end",), tag=("{*}event", "{*}trace"), remove_comments=True,
            huge_tree=True, resolve_entities=False, no_network=True,
        )
        for _, elem in parser:
            if elem.tag.endswith("event"):
                rows.append({child.get("key"): child.get("value") for child in elem})
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    parent.remove(elem)
            else:
                case = {
                    child.get("key"): child.get("value")
                    for child in elem
                    if child.get("key") in trace_keys
                }
                _flush_trace(rows, case, event_keys, columns)
                rows = []
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    parent.remove(elem)
                if len(columns[CASE_KEY]) >= BATCH_ROWS:
                    if on_progress is not None:
                        on_progress(raw.tell())
                    yield columns
                    columns = {k: [] for k in columns}
    if columns[CASE_KEY]:
        yield columns


def _flush_trace(
    rows: list[dict[str, str]],
    case: dict[str, str],
    event_keys: list[str],
    columns: dict[str, list[str | None]],
) -> None:
    """Add one trace's events to the batch columns."""
    count = len(rows)
    columns[CASE_KEY].extend([case.get("concept:name")] * count)
    for key in event_keys:
        if key.startswith("case:"):
            columns[key].extend([case.get(key[5:])] * count)
        else:
            columns[key].extend([row.get(key) for row in rows])


def attribute_keys(path: Path, limit: int = 2000) -> list[str]:
    """The event attribute keys of the first ``limit`` events (to find the usual names)."""
    from lxml import etree

    seen: dict[str, None] = {CASE_KEY: None}
    with opened(path) as (_, stream):
        for count, (_, elem) in enumerate(
            etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True,
                            huge_tree=True, tag="{*}event")
        ):
            for child in elem:
                seen.setdefault(child.get("key"), None)
            elem.clear(keep_tail=False)
            if count >= limit:
                break
    return [k for k in seen if k]


@contextmanager
def opened(path: Path) -> Iterator[tuple[BinaryIO, BinaryIO]]:
    """The raw file (for progress) and the XML stream; parse errors become located errors."""
    from lxml import etree

    try:
        with path.open("rb") as raw:
            if path.name.lower().endswith(".gz"):
                with gzip.open(raw) as stream:
                    yield raw, _Bounded(stream, path, _packed_size(raw))  # type: ignore[misc]
            else:
                yield raw, raw
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        raise MapError(
            SourceLocation(str(path), line, column), None, f"is not well-formed XES: {exc.msg}"
        ) from None
    except (EOFError, gzip.BadGzipFile) as exc:  # a truncated or corrupt .gz
        raise MapError(SourceLocation(str(path)), None, f"cannot be read as XES: {exc}") from None
