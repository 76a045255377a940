"""YAML text → :class:`Process` and :class:`SourceMap`, with every error located.

The text is parsed by libyaml (PyYAML's C parser) into nodes that carry their line
and column, and turned into plain data by a small constructor of our own that

* reads keys as text (``yes:`` and ``no:`` are branch labels, not booleans),
* reads plain scalars as YAML 1.2 does (``true``/``false``/``null``, the rest text;
  numbers are converted by the model where a number is expected),
* records where every key and value stands,
* rejects duplicate keys, and builds an aliased node once (so an alias bomb
  stays as small as its text), refusing aliases that contain themselves and
  nesting deeper than any map needs (which would overflow the parser's stack).

The model then validates the data; each problem is reported at the place of
the element it is about, all of them at once.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from procmap.errors import LoadError, MapError, SourceLocation
from procmap.io.validation import describe_validation_error, describe_value
from procmap.model.checks import NO_BRANCHES, Problem, reference_problems
from procmap.model.process import FORMAT_VERSION, Process
from procmap.source import Marks, Path, SourceMap

try:  # libyaml's C parser where present, the pure-Python one otherwise
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser as _ParserBase
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _ParserBase, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _ParserBase.__init__(self)
            Composer.__init__(self)


MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 20_000_000
MAX_ERRORS = 1000
"""Problems located and listed per file; the rest are counted (:class:`MoreErrors`)."""
MAX_DEPTH = 100
"""Lists and mappings nested deeper than this are refused (a map needs about six)."""
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_STR_TAG = "tag:yaml.org,2002:str"
_DEFAULT_TAGS = {
    ScalarNode: _STR_TAG,
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}


class _TooDeep(Exception):
    """Raised while composing when lists and mappings nest deeper than ``MAX_DEPTH``."""

    def __init__(self, parent: Any) -> None:
        self.mark = parent.start_mark if parent is not None else None


class _Composer(_Parser, BaseResolver):
    """libyaml's parser with no implicit typing: every scalar arrives as text."""

    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        BaseResolver.__init__(self)
        self.depth = 0

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """Every untagged node keeps its default tag; typing happens in ``_scalar``."""
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Count nesting: libyaml's composer recurses in C and crashes on deep input."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(current_node)

    def ascend_resolver(self) -> None:
        self.depth -= 1


class MoreErrors(MapError):
    """Stands for the problems of a file beyond the first :data:`MAX_ERRORS`: listed last."""

    def __init__(self, file: str, count: int) -> None:
        self.count = count
        self.file = file
        # placed after every line of the file, so that it sorts last
        super().__init__(SourceLocation(file, 2**62), None,
                         f"… and {count:,} more problems like these, not listed",
                         "fix the ones above first")

    @property
    def message(self) -> str:
        return f"{self.file}: {self.what} ({self.hint})"


def capped(errors: Iterable[MapError], file: str, *, more: int = 0) -> list[MapError]:
    """The first :data:`MAX_ERRORS` errors, and one :class:`MoreErrors` for the rest."""
    kept: list[MapError] = []
    for error in errors:
        if isinstance(error, MoreErrors):
            more += error.count
        elif len(kept) < MAX_ERRORS:
            kept.append(error)
        else:
            more += 1
    return [*kept, MoreErrors(file, more)] if more else kept


def load(path: str | os.PathLike[str]) -> Process:
    """Load one map file.

    Args:
        path: a ``.yaml``/``.yml`` map, or a ``.bpmn`` file (imported, warnings dropped).

    Returns:
        The validated process.

    Raises:
        LoadError: with every problem found, each located by file, line and column.

    Example:
        >>> process = procmap.load("examples/customer-onboarding.yaml")  # doctest: +SKIP
    """
    return load_with_source(path)[0]


def load_with_source(path: str | os.PathLike[str]) -> tuple[Process, SourceMap]:
    """Like :func:`load`, and also where each element stands in the file."""
    name = str(path)
    if name.lower().endswith(".bpmn"):
        from procmap.io.bpmn.reader import read_bpmn

        return read_bpmn(path).process, SourceMap(name)
    text = read_text(path)
    return parse(text, name)


def loads(text: str, *, file: str = "<string>") -> Process:
    """Load a map from YAML text; ``file`` names it in error messages."""
    return parse(text, file)[0]


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a map file as UTF-8 text, with located errors for what cannot be read."""
    data = read_capped(path, MAX_BYTES, "a map", "split it into several maps linked by part-of",
                       noun="a map file")
    return decode(data, str(path))


def read_capped(path: str | os.PathLike[str], cap: int, what: str, hint: str | None = None,
                *, noun: str = "a file") -> bytes:
    """The bytes of a file of at most ``cap`` bytes, sized before it is read.

    A regular file larger than ``cap`` is refused unread; a device is refused; a
    pipe (``<(…)``) is read up to one byte past the cap.

    Raises:
        LoadError: located, for a missing, unreadable, too large or special file.
    """
    import stat

    name = str(path)
    where = SourceLocation(name)
    fs = FsPath(path)
    limit = f"{cap / 2**20:g} MiB" if cap >= 2**20 else f"{cap:,} bytes"
    too_large = MapError(where, None, f"is larger than the {limit} {what} may be", hint)
    try:
        with fs.open("rb") as handle:
            mode = os.fstat(handle.fileno())
            if stat.S_ISDIR(mode.st_mode):
                raise LoadError([MapError(where, None, f"is a folder, not {noun}")])
            if stat.S_ISCHR(mode.st_mode) or stat.S_ISBLK(mode.st_mode):
                raise LoadError([MapError(where, None, f"is a device, not {noun}")])
            if stat.S_ISREG(mode.st_mode) and mode.st_size > cap:
                raise LoadError([too_large])
            data = handle.read(cap + 1)  # one byte past the cap at most, even from a pipe
        if len(data) > cap:
            raise LoadError([too_large])
    except FileNotFoundError:
        raise LoadError([MapError(where, None, "no such file")]) from None
    except PermissionError:
        raise LoadError([MapError(where, None, "cannot be read (permission denied)")]) from None
    except IsADirectoryError:
        raise LoadError([MapError(where, None, f"is a folder, not {noun}")]) from None
    except OSError as exc:
        raise LoadError([MapError(where, None, f"cannot be read ({exc.strerror})")]) from None
    return data


def read_data(path: str | os.PathLike[str]) -> Any:
    """Read a YAML file that is not a map (an answers file) as plain data, safely.

    The same reader as maps: size capped, located syntax errors, an aliased node
    built once, no nesting deeper than :data:`MAX_DEPTH`.

    Raises:
        LoadError: the file cannot be read or is not YAML.
    """
    name = str(path)
    text = read_text(path)
    if not text.strip():
        return None
    with paused_gc():
        data, _source, errors = compose(text, name)
    if errors:
        raise LoadError(capped(errors, name))
    return data


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark), locating a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise LoadError(
            [
                MapError(
                    SourceLocation(name, line, column),
                    None,
                    f"is not UTF-8 text (byte 0x{byte})",
                    "save the file as UTF-8",
                )
            ]
        ) from None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a map is built.

    Loading creates millions of small objects and no cycles worth collecting;
    left on, the collector runs over and over and makes large loads quadratic.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str, file: str) -> tuple[Process, SourceMap]:
    """Parse and validate YAML text; raise :class:`LoadError` with every problem."""
    with paused_gc():
        return _parse(text, file)


def _parse(text: str, file: str) -> tuple[Process, SourceMap]:
    data, source, errors = compose(text, file)
    try:
        result = validate(data, source)
    except LoadError as exc:
        raise LoadError(capped([*errors, *exc.errors], file)) from None
    if errors:
        raise LoadError(capped(errors, file))
    return result


def compose(text: str, file: str) -> tuple[Any, SourceMap, list[MapError]]:
    """YAML text → plain data, its :class:`SourceMap` and the key errors found.

    Syntax errors raise :class:`LoadError` at once; duplicate or malformed keys are
    returned, so that validation can report the rest of the file's problems too.
    """
    source = SourceMap(file)
    errors: list[MapError] = []
    try:
        loader = _Composer(text)
    except UnicodeEncodeError as exc:  # a lone surrogate in text given to loads()
        where = _location_of(text[: exc.start], file)
        raise LoadError([MapError(where, None, "is not valid Unicode text")]) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise LoadError([_syntax_error(exc, file, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise LoadError([_reader_error(exc, file, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks
        raise LoadError([MapError(SourceLocation(file), None, f"is not valid YAML: {exc}")]) from None
    except _TooDeep as exc:
        line, column = (exc.mark.line + 1, exc.mark.column + 1) if exc.mark else (1, 1)
        what = f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
        raise LoadError([MapError(SourceLocation(file, line, column), None, what)]) from None
    finally:
        loader.dispose()
    if node is None:
        raise LoadError([MapError(SourceLocation(file, 1, 1), None, "is empty, not a map")])
    builder = _Builder(file, source.marks, errors)
    data = builder.build(node, ())
    return data, source, errors


def _location_of(before: str, file: str) -> SourceLocation:
    """The place just after ``before``, the text that precedes it in the file."""
    lines = before.splitlines(keepends=True) or [""]
    last = lines[-1]
    if last.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        return SourceLocation(file, len(lines) + 1, 1)
    return SourceLocation(file, len(lines), len(last) + 1)


def _reader_error(exc: yaml.reader.ReaderError, file: str, text: str) -> MapError:
    """A character YAML does not allow; libyaml gives its offset in UTF-8 bytes."""
    before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace")
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return MapError(
        _location_of(before, file),
        None,
        f"contains the control character U+{character:04X}, which YAML does not allow",
        "delete it; it often comes from text copied out of another program",
    )


def _syntax_error(exc: yaml.MarkedYAMLError, file: str, text: str) -> MapError:
    mark = exc.problem_mark or exc.context_mark
    where = SourceLocation(file, mark.line + 1, mark.column + 1) if mark else SourceLocation(file)
    problem = exc.problem or "is not valid YAML"
    if "maximum nesting depth" in problem:  # libyaml's own limit (PyYAML 6.0.3 and newer)
        return MapError(where, None, f"lists and mappings are nested more than {MAX_DEPTH} levels deep")
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return MapError(where, None, "YAML syntax error: a tab is used for indentation",
                        "indent with spaces")
    if exc.context:
        problem = f"{exc.context}, {problem}"
    context = exc.context_mark
    if context is not None and mark is not None and context.line != mark.line:
        problem += f" (it starts on line {context.line + 1})"
    return MapError(where, None, f"YAML syntax error: {problem}")


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording their places."""

    def __init__(self, file: str, marks: dict[Path, Marks], errors: list[MapError]) -> None:
        self.file = file
        self.marks = marks
        self.errors = errors
        self.budget = MAX_NODES
        self.built: dict[int, Any] = {}
        """Lists and mappings built so far, by node: an alias is the same node again."""

    def build(self, node: Any, path: Path) -> Any:
        self.budget -= 1
        if self.budget < 0:
            if self.budget == -1:
                self._error(node, (), f"has more than {MAX_NODES:,} elements",
                            "split it into several maps linked by part-of")
            return None
        if isinstance(node, ScalarNode):
            return _scalar(node)
        key = id(node)
        value = self.built.get(key, _NEW)
        if value is _NEW:
            self.built[key] = _BUILDING
            value = self.built[key] = self._collection(node, path)
        elif value is _BUILDING:  # where the alias stands: its key, or its list item
            line, column = self.marks[path][:2] if path in self.marks else (1, 1)
            self.errors.append(
                MapError(
                    SourceLocation(self.file, line, column),
                    _element(path),
                    "an alias refers to the list or mapping it is part of",
                )
            )
            return _LEFT_OUT
        return value

    def _collection(self, node: Any, path: Path) -> Any:
        marks = self.marks
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self._error(key_node, path, "a key must be a plain name, not a list or mapping")
                    continue
                key = key_node.value
                km = key_node.start_mark
                vm = value_node.start_mark
                if vm.index < km.index:  # an alias: place it where it is used, not anchored
                    vm = km
                sub = path + (key,)
                if key in out:
                    first = marks[sub][0]
                    if len(path) == 1 and path[0] in _COLLECTIONS:
                        element, what = None, f"{_COLLECTIONS[path[0]]} '{key}' is defined twice"
                    else:
                        element, what = _element(path), f"field '{key}' is given twice"
                    self.errors.append(
                        MapError(
                            SourceLocation(self.file, km.line + 1, km.column + 1),
                            element,
                            f"{what} (first on line {first})",
                            "keep one of them, or give one another id",
                        )
                    )
                    continue
                marks[sub] = (km.line + 1, km.column + 1, vm.line + 1, vm.column + 1)
                value = self.build(value_node, sub)
                if value is not _LEFT_OUT:
                    out[key] = value
            return out
        if isinstance(node, SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                sub = path + (i,)
                m = item.start_mark
                if m.index < node.start_mark.index:  # an alias, as above
                    m = node.start_mark
                marks[sub] = (m.line + 1, m.column + 1, m.line + 1, m.column + 1)
                value = self.build(item, sub)
                if value is not _LEFT_OUT:
                    items.append(value)
            return items
        return None  # pragma: no cover - libyaml composes only these three

    def _error(self, node: Any, path: Path, what: str, hint: str | None = None) -> None:
        m = node.start_mark
        self.errors.append(
            MapError(SourceLocation(self.file, m.line + 1, m.column + 1), _element(path), what, hint)
        )


_NEW = object()  # a list or mapping not built yet
_BUILDING = object()  # a list or mapping being built: an alias to it would never end
_LEFT_OUT = object()  # such an alias, reported and left out of its list or mapping


def _scalar(node: ScalarNode) -> Any:
    value = node.value
    if not node.style and node.tag == _STR_TAG:  # plain (libyaml says None or "")
        if value in _NULLS:
            return None
        if value in _TRUES:
            return True
        if value in _FALSES:
            return False
    return value


def _element(path: Path) -> str | None:
    """How to name the element at ``path`` in a message."""
    if len(path) >= 2 and path[0] in _COLLECTIONS:
        return f"{_COLLECTIONS[path[0]]} '{path[1]}'"
    return None


_COLLECTIONS = {"steps": "step", "actors": "actor", "outcomes": "outcome"}


def validate(data: Any, source: SourceMap) -> tuple[Process, SourceMap]:
    """Validate plain data as a map; raise :class:`LoadError` with every problem."""
    file = source.file
    if not isinstance(data, dict):
        raise LoadError(
            [
                MapError(
                    source.value(()),
                    None,
                    "is not a procmap map (expected 'procmap: 1' and the map's fields)",
                )
            ]
        )
    version = data.get("procmap")
    if "procmap" not in data:
        raise LoadError(
            [
                MapError(
                    SourceLocation(file, 1, 1),
                    None,
                    "is not a procmap map: it has no 'procmap:' format version",
                    f"start the file with 'procmap: {FORMAT_VERSION}'",
                )
            ]
        )
    if str(version) != str(FORMAT_VERSION):
        what = (
            f"format version '{version}' is not one this procmap reads"
            if isinstance(version, str)
            else f"format version must be {FORMAT_VERSION}, not {describe_value(version)}"
        )
        raise LoadError(
            [
                MapError(
                    source.value(("procmap",)),
                    None,
                    what,
                    f"this procmap reads version {FORMAT_VERSION}; upgrade procmap or "
                    f"write 'procmap: {FORMAT_VERSION}'",
                )
            ]
        )
    data["procmap"] = FORMAT_VERSION
    try:
        process = Process.model_validate(data)
    except ValidationError as exc:
        raise LoadError(_all_problems(data, exc, source)) from None
    problems = list(islice(reference_problems(process), MAX_ERRORS + 1))
    if problems:
        more = 0
        if len(problems) > MAX_ERRORS:  # counted without the loops (found once the rest is fixed)
            rest = reference_problems(process, known_steps=process.steps.keys())
            more = max(1, sum(1 for _ in rest) - MAX_ERRORS)
        raise LoadError(capped(_locate(problems[:MAX_ERRORS], source), file, more=more))
    return process, source


def _locate(problems: Iterable[Problem], source: SourceMap) -> list[MapError]:
    errors = []
    for p in islice(problems, MAX_ERRORS):
        where = source.key(p.path) if p.at == "key" else source.value(p.path)
        errors.append(MapError(where, p.element, p.what, p.hint))
    return errors


def _all_problems(data: dict[str, Any], exc: ValidationError, source: SourceMap) -> list[MapError]:
    """Type errors, plus the reference errors of everything that is valid.

    The map is validated again without the fields that failed (and, if that is not
    enough, without the elements that still fail), so a typo in one field does not
    hide a broken reference in another.
    """
    details = exc.errors(include_url=False, include_context=True)
    errors = [describe_validation_error(d, data, source) for d in details[:MAX_ERRORS]]
    if len(details) > MAX_ERRORS:
        errors.append(MoreErrors(source.file, len(details) - MAX_ERRORS))
    bad = {tuple(d["loc"]) for d in details}
    known = {k: set(v) for k, v in data.items() if k in _COLLECTIONS and isinstance(v, dict)}
    partial = _without(data, bad)
    for _ in range(2):
        try:
            process = Process.model_validate(partial)
            break
        except ValidationError as again:
            partial = _without(partial, {tuple(d["loc"][:2]) for d in again.errors()})
    else:
        return errors
    problems = reference_problems(
        process,
        known_steps=known.get("steps", process.steps.keys()),
        known_actors=known.get("actors", process.actors.keys()),
        known_outcomes=known.get("outcomes", process.outcomes.keys()),
    )
    # a decision whose branches all failed above has branches, only broken ones
    broken = {p[:2] for p in bad if len(p) >= 4 and p[0] == "steps" and p[2] == "branches"}
    kept = (p for p in problems if not (p.what == NO_BRANCHES and p.path in broken))
    listed = list(islice(kept, MAX_ERRORS))
    more = sum(1 for _ in kept)
    return [*errors, *_locate(listed, source), *([MoreErrors(source.file, more)] if more else [])]


def _drop(value: Any, path: Path, bad: set[Path]) -> Any:
    """A decision's branches less the ones that failed validation."""
    if path[2] != "branches" or not isinstance(value, dict):
        return value
    return {label: b for label, b in value.items() if path + (label,) not in bad}


def _without(data: dict[str, Any], bad: set[Path]) -> dict[str, Any]:
    """``data`` less the fields and elements at the paths in ``bad``."""
    tops = {p[0] for p in bad if len(p) == 1 or p[0] not in _COLLECTIONS}
    elements = {p[:2] for p in bad if len(p) == 2 and p[0] in _COLLECTIONS}
    fields = {p[:3] for p in bad if len(p) >= 3 and p[0] in _COLLECTIONS and p[2] != "branches"}
    branches = {p[:4] for p in bad if len(p) >= 4 and p[0] == "steps" and p[2] == "branches"}
    partial: dict[str, Any] = {}
    for key, value in data.items():
        if key in tops and key not in _COLLECTIONS:
            continue
        if key in _COLLECTIONS:
            if not isinstance(value, dict):
                continue
            partial[key] = {
                k: {f: _drop(x, (key, k, f), branches) for f, x in v.items() if (key, k, f) not in fields}
                if isinstance(v, dict)
                else v
                for k, v in value.items()
                if (key, k) not in elements
            }
        else:
            partial[key] = value
    partial.setdefault("process", "unnamed")
    partial["procmap"] = FORMAT_VERSION
    return partial
