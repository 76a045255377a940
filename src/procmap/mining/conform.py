"""The designed map held against the log: does reality follow the paper?

Each log activity is matched to the map step of the same name or id (case and
spacing aside). A case's path is allowed when its first activity can begin the
map, each next activity can follow the one before, and its last can end it.
"Can follow" means: a flow leads from one step to the other, passing only
through steps no activity stands for (decisions, starts, ends, waits, unnamed
gateways, parallel gateways); or the two steps run in parallel, on different ways out of a step
with several ``then`` flows. A step done again straight away is rework, not
another path (a map cannot draw a flow from a step to itself), so it is
allowed. Paths are replayed once per variant.

Beside it, the map is replayed with tokens as PM4Py's token-based replay does
(:mod:`procmap.mining.replay`): fitness and precision, equal to PM4Py's on the
map's BPMN export.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from functools import cached_property

from procmap.mining import stats
from procmap.mining.discover import seconds, slug
from procmap.mining.read import EventLog
from procmap.mining.replay import quality
from procmap.mining.tables import Section
from procmap.model.process import Process, StepKind

SILENT_KINDS = (StepKind.START, StepKind.END, StepKind.DECISION, StepKind.PARALLEL, StepKind.WAIT)
TOP = 10


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def match_steps(process: Process, activities: list[str]) -> dict[str, str]:
    """Activity → step id, by the step's name, its id, or the id the name would get."""
    index: dict[str, str] = {}
    for sid, step in process.steps.items():
        for key in (_key(sid), _key(step.name or "")):
            if key:
                index.setdefault(key, sid)
    found = {}
    for activity in activities:
        sid = index.get(_key(activity)) or index.get(_key(slug(activity)))
        if sid is not None:
            found[activity] = sid
    return found


@dataclass
class Replay:
    """The map's flow graph seen from the activities that match its steps."""

    process: Process
    matched: set[str]

    def silent(self, sid: str) -> bool:
        step = self.process.steps[sid]
        return sid not in self.matched and (step.kind in SILENT_KINDS or not step.name)

    def closure(self, sources: list[str]) -> tuple[set[str], bool]:
        """Matched steps reachable from ``sources`` through silent steps; whether an end is."""
        graph = self.process.graph
        reached: set[str] = set()
        seen: set[str] = set()
        ends = False
        todo = deque(sources)
        while todo:
            sid = todo.popleft()
            if sid in seen:
                continue
            seen.add(sid)
            if sid in self.matched:
                reached.add(sid)
                continue
            if not self.silent(sid):
                continue
            successors = graph.successors(sid)
            ends = ends or not successors or self.process.steps[sid].kind is StepKind.END
            todo.extend(successors)
        return reached, ends

    @cached_property
    def follows(self) -> dict[str, tuple[set[str], bool]]:
        """Per matched step: the matched steps that may come next; whether the case may end.

        A case may end at a step that is itself an end, or that leads nowhere.
        """
        out = {}
        for sid in self.matched:
            after = self.process.graph.successors(sid)
            reached, ends = self.closure(after)
            out[sid] = (reached, ends or not after or self.process.steps[sid].kind is StepKind.END)
        return out

    @cached_property
    def begins(self) -> set[str]:
        return self.closure(self.process.graph.starts())[0]

    @cached_property
    def parallel(self) -> set[tuple[str, str]]:
        """Pairs of matched steps on different ways out of a step with several ``then`` flows.

        Two steps run in parallel after such a split when each is reached from a
        different way out of it and neither reaches the other without passing the
        split again (a loop back before the split does not order them).
        """
        import networkx as nx

        graph, pairs = self.process.graph, set()
        for sid, step in self.process.steps.items():
            targets = graph.successors(sid)
            if step.kind is StepKind.DECISION or len(targets) < 2:
                continue
            rest = nx.restricted_view(graph.nx, [sid], [])
            after = _Reach(rest)
            ways = [after(t) & self.matched for t in targets]
            for i, one in enumerate(ways):
                for other in ways[i + 1 :]:
                    for a in one:
                        for b in other:
                            if a != b and b not in after(a) and a not in after(b):
                                pairs |= {(a, b), (b, a)}
        return pairs

    def first_deviation(self, path: list[str | None]) -> tuple[str, str] | None:
        """The first place the map does not allow, as (before, after); ``None`` if it fits.

        ``None`` in ``path`` is an activity with no step; ``"(start)"`` and ``"(end)"`` mark
        a path that cannot begin or end where it does.
        """
        if not path or path[0] is None or path[0] not in self.begins:
            return ("(start)", path[0] if path else "(end)")  # type: ignore[return-value]
        for a, b in zip(path, path[1:], strict=False):
            if b == a:  # a step done again straight away: rework, not another path
                continue
            if b is None or (b not in self.follows[a][0] and (a, b) not in self.parallel):
                return (a, b)  # type: ignore[return-value]
        if not self.follows[path[-1]][1]:
            return (path[-1], "(end)")  # type: ignore[return-value]
        return None


class _Reach(dict):
    """Steps reachable from a step (itself included) in one graph, computed once each."""

    def __init__(self, graph) -> None:
        super().__init__()
        self.graph = graph

    def __call__(self, node: str) -> set[str]:
        if node not in self:
            import networkx as nx

            self[node] = nx.descendants(self.graph, node) | {node}
        return self[node]


@dataclass
class Conformance:
    """How far the log follows the map (JSON-ready; waits in seconds)."""

    map: str
    log: str
    cases: int
    fitting_cases: int
    variants: int
    fitting_variants: int
    deviations: list[dict] = field(default_factory=list)
    not_in_map: list[dict] = field(default_factory=list)
    never_happen: list[dict] = field(default_factory=list)
    handoffs_not_on_paper: list[dict] = field(default_factory=list)
    waits: list[dict] = field(default_factory=list)
    replay_fitness: float = 1.0
    """Token-based fitness: ½ (1 − missing / consumed) + ½ (1 − remaining / produced)."""
    precision: float = 1.0
    """ETConformance precision: 1 − the share of what the map allows next that no case does."""

    @property
    def fitness(self) -> float:
        """The share of cases whose path the map allows."""
        return self.fitting_cases / self.cases if self.cases else 1.0

    @property
    def f1(self) -> float:
        total = self.replay_fitness + self.precision
        return 2 * self.replay_fitness * self.precision / total if total else 0.0

    def to_dict(self) -> dict:
        return {**self.__dict__, "fitness": self.fitness, "f1": self.f1}


def conform(process: Process, log: EventLog, *, map_name: str | None = None) -> Conformance:
    """Hold ``process`` against every case of ``log``."""
    stats.prepare(log)
    acts = stats.activities(log)
    matched = match_steps(process, [a.name for a in acts])
    replay = Replay(process, set(matched.values()))
    variants = stats.variants(log)
    deviations: Counter[tuple[str, str]] = Counter()
    fitting = fitting_variants = 0
    for v in variants:
        where = replay.first_deviation([matched.get(a) for a in v.activities])
        if where is None:
            fitting, fitting_variants = fitting + v.cases, fitting_variants + 1
        else:
            deviations[where] += v.cases
    labels = {sid: activity for activity, sid in matched.items()}
    replayed = quality(process, {v.activities: v.cases for v in variants}, labels)
    title = process.step_title
    named = lambda s: s if s in ("(start)", "(end)") or s is None else title(s)  # noqa: E731
    return Conformance(
        map=map_name or process.process,
        log=log.path.name,
        cases=log.cases,
        fitting_cases=fitting,
        variants=len(variants),
        fitting_variants=fitting_variants,
        deviations=[{"after": named(a), "comes": named(b) or "(an activity not in the map)",
                     "cases": n} for (a, b), n in deviations.most_common(TOP)],
        not_in_map=not_in_map(acts, matched),
        never_happen=never_happen(process, matched),
        handoffs_not_on_paper=_handoffs(process, log, matched, replay),
        waits=_waits(process, acts, matched),
        replay_fitness=replayed.fitness,
        precision=replayed.precision,
    )


def not_in_map(acts: list[stats.Activity], matched: dict[str, str]) -> list[dict]:
    """The log's activities that match no step, most events first."""
    return [{"activity": a.name, "events": a.events, "cases": a.cases}
            for a in sorted(acts, key=lambda a: -a.events) if a.name not in matched]


def never_happen(process: Process, matched: dict[str, str]) -> list[dict]:
    """The map's named work steps that no activity of the log stands for."""
    happened = set(matched.values())
    return [{"step": sid, "name": process.step_title(sid)} for sid, s in process.steps.items()
            if s.name and s.kind not in SILENT_KINDS and sid not in happened]


def _handoffs(process: Process, log: EventLog, matched: dict[str, str], replay: Replay) -> list[dict]:
    """Real hand-offs between the map's actors along pairs the map does not connect."""
    found: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], str] = {}
    for pair in stats.directly_follows(log):
        a, b = matched.get(pair.source), matched.get(pair.target)
        if a is None or b is None or b in replay.follows[a][0] or (a, b) in replay.parallel:
            continue
        actors = (process.steps[a].actor, process.steps[b].actor)
        if actors[0] != actors[1]:
            found[actors] += pair.frequency
            example.setdefault(actors, f"{pair.source} → {pair.target}")
    return [{"from": process.actor_title(x), "to": process.actor_title(y), "times": n,
             "example": example[(x, y)]} for (x, y), n in found.most_common(TOP)]


def _waits(process: Process, acts: list[stats.Activity], matched: dict[str, str]) -> list[dict]:
    """The map's stated ``wait`` against the real wait before the step."""
    rows = []
    for a in acts:
        sid = matched.get(a.name)
        stated = process.steps[sid].wait if sid else None
        if stated is None or a.median_wait is None:
            continue
        rows.append({"step": process.step_title(sid), "stated": stated.total_seconds(),
                     "median": a.median_wait, "p90": a.p90_wait})
    return sorted(rows, key=lambda r: -(r["median"] - r["stated"]))


def sections(result: Conformance) -> list[Section]:
    """The conformance report as titled tables."""
    share = f"{100 * result.fitness:.1f}%"
    return [
        Section("Token-based replay (as PM4Py computes it)", ["fitness", "precision", "F1"], [
            [f"{result.replay_fitness:.3f}", f"{result.precision:.3f}", f"{result.f1:.3f}"],
        ]),
        Section("Cases whose path the map allows", ["", "allowed", "of", "share"], [
            ["cases", result.fitting_cases, result.cases, share],
            ["variants", result.fitting_variants, result.variants,
             f"{100 * result.fitting_variants / max(1, result.variants):.1f}%"],
        ]),
        Section("Where cases leave the map (first deviation)", ["after", "comes", "cases"],
                [[d["after"], d["comes"], d["cases"]] for d in result.deviations]),
        Section("Activities that happen but are not in the map", ["activity", "events", "cases"],
                [[r["activity"], r["events"], r["cases"]] for r in result.not_in_map]),
        Section("Steps of the map that never happen", ["step", "id"],
                [[r["name"], r["step"]] for r in result.never_happen]),
        Section("Hand-offs that happen but are not on paper", ["from", "to", "times", "e.g."],
                [[r["from"], r["to"], r["times"], r["example"]] for r in result.handoffs_not_on_paper]),
        Section("Waits: the map against the log", ["step", "map says", "median", "p90"],
                [[r["step"], seconds(r["stated"]), seconds(r["median"]), seconds(r["p90"])]
                 for r in result.waits]),
    ]
