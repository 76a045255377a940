"""A folder of maps as one catalog: the L1–L4 hierarchy of seed 003.

``part-of`` ties a map to its parent process, ``calls`` ties a subprocess step to
the map that details it, and ``level`` says how deep each map sits. Linking the
maps into a catalog (:func:`build_catalog`; :mod:`procmap.io.files` reads a
folder) checks that every ``part-of`` names a process of the catalog, that no
process id is used twice and that ``part-of`` never runs in a circle. A ``calls``
to a process not in the catalog is no load error: catalogs are mapped a process
at a time, and rule E2E007 (calls-unknown-process) reports the map still to draw.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from procmap.errors import LoadError, MapError
from procmap.model.checks import did_you_mean
from procmap.model.process import Process
from procmap.source import SourceMap


@dataclass(frozen=True)
class Catalog:
    """Maps by process id, with where each came from and how they link."""

    processes: dict[str, Process] = field(default_factory=dict)
    sources: dict[str, SourceMap] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    """YAML files of the folder that are not maps (no ``procmap:`` line)."""

    def __len__(self) -> int:
        return len(self.processes)

    def __iter__(self) -> Iterator[Process]:
        return iter(self.processes.values())

    def file_of(self, process_id: str) -> str:
        """The file a process was loaded from."""
        return self.sources[process_id].file

    def children(self, process_id: str) -> list[str]:
        """Processes that are ``part-of`` this one, by id."""
        return [p.process for p in self if p.part_of == process_id]

    def roots(self) -> list[str]:
        """Processes that are part of no other process of the catalog."""
        return [p.process for p in self if p.part_of not in self.processes]

    def called_by(self, process_id: str) -> list[tuple[str, str]]:
        """``(process id, step id)`` of every subprocess step that calls this process."""
        return [
            (p.process, sid)
            for p in self
            for sid, step in p.steps.items()
            if step.calls == process_id
        ]

    def depth_first(self) -> Iterator[tuple[int, Process]]:
        """Every process with its depth in the ``part-of`` tree, parents first."""

        def walk(pid: str, depth: int) -> Iterator[tuple[int, Process]]:
            yield depth, self.processes[pid]
            for child in sorted(self.children(pid)):
                yield from walk(child, depth + 1)

        for root in sorted(self.roots()):
            yield from walk(root, 0)


def build_catalog(
    loaded: list[tuple[Process, SourceMap]], *, skipped: list[str] | None = None
) -> Catalog:
    """Link loaded maps into a catalog, checking the references between them."""
    processes: dict[str, Process] = {}
    sources: dict[str, SourceMap] = {}
    errors: list[MapError] = []
    for process, source in loaded:
        pid = process.process
        if pid in processes:
            first = sources[pid].value(("process",))
            errors.append(
                MapError(
                    source.value(("process",)),
                    f"process '{pid}'",
                    f"is defined twice (also in {first})",
                    "give each map its own process id",
                )
            )
            continue
        processes[pid] = process
        sources[pid] = source
    catalog = Catalog(processes, sources, tuple(skipped or ()))
    errors.extend(_reference_errors(catalog))
    if errors:
        raise LoadError(errors)
    return catalog


def _reference_errors(catalog: Catalog) -> Iterator[MapError]:
    if len(catalog) < 2:
        return  # a single map may name parents and subprocesses kept elsewhere
    ids = catalog.processes.keys()
    for process in catalog:
        source = catalog.sources[process.process]
        element = f"process '{process.process}'"
        if process.part_of is not None and process.part_of not in ids:
            yield MapError(
                source.value(("part-of",)),
                element,
                f"part-of '{process.part_of}', which is not a process of this catalog",
                did_you_mean(process.part_of, ids),
            )
    yield from _part_of_cycles(catalog)


def _part_of_cycles(catalog: Catalog) -> Iterator[MapError]:
    reported: set[str] = set()
    for process in catalog:
        chain = [process.process]
        current = process.part_of
        while current in catalog.processes and current not in chain:
            chain.append(current)
            current = catalog.processes[current].part_of
        if current == process.process and not reported & set(chain):
            reported |= set(chain)
            loop = " → ".join([*chain, chain[0]])
            source = catalog.sources[process.process]
            yield MapError(
                source.value(("part-of",)),
                f"process '{process.process}'",
                f"part-of runs in a circle: {loop}",
                "a process is part of one parent one level up",
            )
