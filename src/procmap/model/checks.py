"""Checks that make a map well-formed beyond field types: references and structure.

These are what the loader reports as input errors (exit 2), whatever the source
format: every reference points at something that exists, decisions have
branches, and no loop runs forever. Analysis rules (``procmap.rules``) come after
and assume a map that passed these.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from procmap.model.process import Process, StepKind

Path = tuple[str | int, ...]
NO_BRANCHES = "has no branches"


@dataclass(frozen=True)
class Problem:
    """A problem found at ``path`` in the map (e.g. ``("steps", "x", "needs", 0)``)."""

    path: Path
    element: str
    what: str
    hint: str | None = None
    at: Literal["key", "value"] = "value"


def did_you_mean(word: str, candidates: Collection[str]) -> str | None:
    """The hint ``did you mean 'x'?`` for the closest candidate, if one is close."""
    if not candidates:
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=60)
    if best is None:
        return None
    return f"did you mean '{best[0]}'?"


def _unknown(
    path: Path, element: str, verb: str, ref: str, kind: str, known: Collection[str]
) -> Problem:
    return Problem(path, element, f"{verb} '{ref}', which is not {kind}", did_you_mean(ref, known))


def reference_problems(
    process: Process,
    *,
    known_steps: Collection[str] | None = None,
    known_actors: Collection[str] | None = None,
    known_outcomes: Collection[str] | None = None,
) -> Iterator[Problem]:
    """Yield every broken reference and structural error of ``process``.

    ``known_*`` widen the sets of ids that exist, for a map some of whose elements
    failed validation: references to them are not reported a second time.
    """
    steps = known_steps if known_steps is not None else process.steps.keys()
    actors = known_actors if known_actors is not None else process.actors.keys()
    outcomes = known_outcomes if known_outcomes is not None else process.outcomes.keys()

    for sid, step in process.steps.items():
        here = ("steps", sid)
        element = f"step '{sid}'"
        if step.actor not in actors:
            yield Problem(
                here + ("actor",),
                element,
                f"actor '{step.actor}' is not declared under actors",
                did_you_mean(step.actor, actors) or f"add it: actors: {{{step.actor}: {{kind: team}}}}",
            )
        for i, other in enumerate(step.with_):
            if other not in actors:
                yield _unknown(here + ("with", i), element, "with", other, "an actor", actors)
        for field, refs in (("needs", step.needs), ("then", step.then)):
            for i, ref in enumerate(refs):
                if ref == sid:
                    what = "needs itself" if field == "needs" else "names itself as its next step"
                    yield Problem(here + (field, i), element, what)
                elif ref not in steps:
                    yield _unknown(here + (field, i), element, field, ref, "a step", steps)
        for i, ref in enumerate(step.delivers):
            if ref not in outcomes:
                yield _unknown(
                    here + ("delivers", i), element, "delivers", ref, "an outcome", outcomes
                )
        yield from _branch_problems(sid, process, steps)
        if step.calls is not None:
            if step.kind is not StepKind.SUBPROCESS:
                yield Problem(
                    here + ("calls",),
                    element,
                    "only a subprocess step calls another process",
                    "add kind: subprocess",
                    at="key",
                )
            elif step.calls == process.process:
                yield Problem(here + ("calls",), element, "calls its own process")

    if process.part_of is not None and process.part_of == process.process:
        yield Problem(("part-of",), f"process '{process.process}'", "is part of itself")
    if known_steps is None:
        yield from endless_loops(process)


def _branch_problems(sid: str, process: Process, steps: Collection[str]) -> Iterator[Problem]:
    step = process.steps[sid]
    here = ("steps", sid)
    element = f"{step.kind.value} '{sid}'" if step.kind is StepKind.DECISION else f"step '{sid}'"
    if step.kind is StepKind.DECISION and not step.branches:
        yield Problem(
            here,
            element,
            NO_BRANCHES,
            "add branches: {yes: <step>, no: <step>}",
            at="key",
        )
    if step.branches and step.kind is not StepKind.DECISION:
        yield Problem(
            here + ("branches",),
            element,
            "has branches but is not a decision",
            "add kind: decision, or list the next steps under then:",
            at="key",
        )
    for label, branch in step.branches.items():
        path = here + ("branches", label, "to")
        if branch.to == sid:
            yield Problem(path, element, f"branch '{label}' leads back to the decision itself")
        elif branch.to not in steps:
            yield _unknown(path, element, f"branch '{label}' leads to", branch.to, "a step", steps)
    total = sum(b.probability for b in step.branches.values() if b.probability is not None)
    given = [b for b in step.branches.values() if b.probability is not None]
    if given and len(given) == len(step.branches) and abs(total - 1.0) > 0.001:
        yield Problem(
            here + ("branches",),
            element,
            f"branch probabilities add up to {total:g}, not 1",
            at="key",
        )


def endless_loops(process: Process) -> Iterator[Problem]:
    """Loops that, once entered, can never be left: the process would never end."""
    graph = process.graph
    order = {sid: i for i, sid in enumerate(process.steps)}
    for loop in graph.closed_loops():
        members: Sequence[str] = sorted(loop, key=order.__getitem__)
        first = members[0]
        cycle = " → ".join([*members[:6], "…" if len(members) > 6 else members[0]])
        yield Problem(
            ("steps", first),
            f"step '{first}'",
            f"the loop {cycle} has no way out, so the process never ends",
            "add a branch or a then: that leaves the loop",
            at="key",
        )
