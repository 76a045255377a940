"""The one place that finds and loads map files and catalogs.

A path is a map file (YAML, or BPMN imported on the fly) or a folder, which is
read as one catalog: every ``.yaml``/``.yml`` below it that looks like a map
(a ``procmap:`` line), linked by ``part-of`` and ``calls``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from procmap.errors import LoadError, MapError, SourceLocation
from procmap.io.yaml_loader import load_with_source, parse, paused_gc, read_text
from procmap.model.catalog import Catalog, build_catalog
from procmap.model.process import Process
from procmap.source import SourceMap

MAP_SUFFIXES = (".yaml", ".yml")
FILE_SUFFIXES = (*MAP_SUFFIXES, ".bpmn")
"""What a command accepts as a file; folders (catalogs) hold YAML maps only."""
_LOOKS_LIKE_MAP = re.compile(r"""^(\{\s*)?(procmap|"procmap"|'procmap')\s*:""", re.MULTILINE)
"""A ``procmap:`` key at the start of a line, quoted or not, or first in a JSON-style map."""


def find_map_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The ``.yaml``/``.yml`` files below ``folder``, sorted, hidden ones left out."""
    base = Path(folder)
    found = []
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(MAP_SUFFIXES) and not name.startswith("."):
                found.append(Path(root) / name)
    return found


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Load every map below a folder as one catalog.

    Raises:
        LoadError: with the problems of every file, and the cross-file ones.

    Example:
        >>> catalog = procmap.load_catalog("examples/marketing")  # doctest: +SKIP
        >>> [p.process for depth, p in catalog.depth_first()]  # doctest: +SKIP
    """
    base = Path(path)
    if not base.is_dir():
        if not base.exists():
            raise LoadError([MapError(SourceLocation(str(path)), None, "no such folder")])
        return build_catalog([load_with_source(base)])
    with paused_gc():
        return _load_folder(base)


def _load_folder(base: Path) -> Catalog:
    errors: list[MapError] = []
    loaded: list[tuple[Process, SourceMap]] = []
    skipped: list[str] = []
    for file in find_map_files(base):
        try:
            text = read_text(file)
            if not _LOOKS_LIKE_MAP.search(text):
                skipped.append(str(file))
                continue
            loaded.append(parse(text, str(file)))
        except LoadError as exc:
            errors.extend(exc.errors)
    try:
        catalog = build_catalog(loaded, skipped=skipped)
    except LoadError as exc:
        errors.extend(exc.errors)
    if errors:
        raise LoadError(errors)
    return catalog


@dataclass
class Loaded:
    """The maps read from the paths a command was given, and the problems found."""

    maps: list[tuple[Process, SourceMap]] = field(default_factory=list)
    errors: list[MapError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    files: int = 0


def load_paths(paths: list[Path]) -> Loaded:
    """Load every file and folder given; a folder loads as one catalog.

    Problems are collected, not raised, so one bad file does not hide the others.
    """
    result = Loaded()
    for path in paths:
        if path.is_dir():
            result.files += len(find_map_files(path))
            try:
                catalog = load_catalog(path)
            except LoadError as exc:
                result.errors.extend(exc.errors)
                continue
            result.maps.extend((p, catalog.sources[p.process]) for p in catalog)
            result.skipped.extend(catalog.skipped)
        else:
            result.files += 1
            if not path.exists():
                result.errors.append(MapError(SourceLocation(str(path)), None, "no such file or folder"))
                continue
            if path.suffix.lower() not in FILE_SUFFIXES:
                result.errors.append(
                    MapError(
                        SourceLocation(str(path)),
                        None,
                        f"is not a map file: procmap reads {', '.join(FILE_SUFFIXES)} files",
                    )
                )
                continue
            try:
                result.maps.append(load_with_source(path))
            except LoadError as exc:
                result.errors.extend(exc.errors)
    return result


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (so the temporary files it left are still its own)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, under another user
        return True
    return True
