"""The as-is map of a log: a sound, block-structured procmap map that fits it.

The structure comes from cuts on the log's directly-follows graph
(:mod:`procmap.mining.blocks`): activities are work steps in the lane where they
happen most; a choice between ways is a decision that does no work, its branches
named after the step they lead to and weighed by the real shares; activities
that interleave in the log are ``parallel`` branches that meet again at a join;
repetition is a rework loop (a decision after the work that leads back to it).
Every step can reach the one end. Waits (median before a step) go in ``wait``;
counts and the 90th percentile in each ``note``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from procmap.errors import MapError, SourceLocation
from procmap.measures.timing import cycle_time
from procmap.mining import blocks, stats
from procmap.mining.blocks import Block, discover_blocks
from procmap.mining.read import EventLog
from procmap.mining.replay import Quality, VariantTree, quality
from procmap.model.durations import describe_duration
from procmap.model.names import slug
from procmap.model.process import Actor, ActorKind, Branch, Outcome, Process, Step, StepKind

START, END = "start", "end"
OUTCOME, CUSTOMER, TEAM = "case-completed", "customer", "team"
TOP_VARIANTS = 5
NOISE = 0.2
"""IMf's threshold: the share of a step's most frequent way out below which a path is rare."""
NOISES = (0.2, 0.1, 0.3, 0.0)
"""The thresholds tried when none is given, the first preferred on a tie."""
MIN_FITNESS = 0.95
"""The map must let this much of the log through (token-based fitness) to be chosen for precision."""


@dataclass
class Discovery:
    """The discovered map and what it was built from."""

    process: Process
    variants: list[stats.Variant]
    kept_variants: int
    kept_cases: int
    total_cases: int
    tree: Block | None = field(default=None, repr=False)
    quality: Quality | None = None
    """Token-based fitness and precision of the map against every case of the log."""
    noise: float = NOISE
    durations: dict = field(default_factory=dict, repr=False)
    """Each variant's median case duration (seconds)."""
    log_cycle: tuple[float | None, float | None] = (None, None)
    """The log's median and 90th percentile case duration (seconds)."""
    map_cycle: float | None = None
    """The map's expected cycle time (seconds)."""
    cycle_warning: str | None = None


def _map_id(text: str) -> str:
    """A map id from a name: ``T02 Check receipt`` → ``t02-check-receipt``."""
    return slug(text, keep="_.:") or "step"



def _unique_ids(names: list[str], taken: set[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name in names:
        base = candidate = _map_id(name)
        n = 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids[name] = candidate
    return ids


def seconds(value: float | None) -> str:
    """A wait in seconds for people to read (``2d 3h``); ``-`` when unknown."""
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    return sign + describe_duration(timedelta(seconds=abs(value)))


def _wait(value: float | None) -> timedelta | None:
    """The map's ``wait``: whole minutes (whole seconds under an hour), never negative."""
    if value is None or value <= 0:
        return None
    step = 60 if value >= 3600 else 1
    return timedelta(seconds=round(value / step) * step) or None


def _shares(counts: dict[str, int]) -> dict[str, float]:
    """Shares rounded to 3 decimals that add up to exactly 1 (largest remainder)."""
    total = sum(counts.values())
    raw = {k: 1000 * v / total for k, v in counts.items()}
    floors = {k: int(v) for k, v in raw.items()}
    short = 1000 - sum(floors.values())
    for k in sorted(raw, key=lambda k: (floors[k] - raw[k], k))[:short]:
        floors[k] += 1
    return {k: floors[k] / 1000 for k in counts}


def discover(log: EventLog, *, coverage: float = 1.0, name: str | None = None,
             noise: float | None = None, customer_lanes: tuple[str, ...] | list[str] = ()) -> Discovery:
    """The as-is map of ``log``, from the variants that cover ``coverage`` of its cases.

    ``customer_lanes`` names the lanes of the log that are the customer's: their
    steps are Moments of Truth, hand-offs to and from them the customer's.

    ``noise`` leaves out rare paths where the log shows no structure with them (IMf's
    threshold: a path below that share of the most frequent way out of the same step).
    Left out, each of :data:`NOISES` is tried and the map kept that lets at least
    :data:`MIN_FITNESS` of the log through with the best F1 of fitness and precision
    (token-based replay against every case of the log).
    """
    stats.prepare(log)
    variants = stats.variants(log)
    durations = stats.variant_durations(log)
    median, p90 = stats.case_durations(log)
    kept_variants, kept_cases = len(variants), log.cases
    kept = variants
    if coverage < 1.0:
        kept_variants, kept_cases = stats.keep_coverage(log, coverage)
        kept = stats.variants(log)
    acts = stats.activities(log)
    customer_lanes = tuple(customer_lanes)
    known = {a.lane for a in acts if a.lane is not None}
    for lane in customer_lanes:
        if lane not in known:
            raise MapError(SourceLocation(str(log.path)), "--customer", f"no lane {lane!r} in the log",
                           "its lanes: " + ", ".join(sorted(known)[:12]) if known else
                           "the log has no lanes: name the lane column with --lane, or give --teams")
    drawn = Counter({v.activities: v.cases for v in kept})
    every = VariantTree({v.activities: v.cases for v in variants})  # built once, replayed per map
    best: tuple | None = None
    tried: set[str] = set()
    shared = blocks.Shared()  # what the thresholds find alike, found once
    for level in (NOISES if noise is None else (noise,)):
        tree = discover_blocks(drawn, level, shared)
        if str(tree) in tried:
            continue
        tried.add(str(tree))
        process = _build(log, acts, tree, variants, kept_variants, kept_cases, name, customer_lanes)
        fit = quality(process, every)
        rank = (fit.fitness >= MIN_FITNESS, fit.f1 if fit.fitness >= MIN_FITNESS else fit.fitness)
        if best is None or rank > best[0]:
            best = (rank, tree, process, fit, level)
    assert best is not None
    _, tree, process, fit, level = best
    note = (f"{process.note}\nFit to the log (token-based replay of every case): fitness "
            f"{fit.fitness:.3f}, precision {fit.precision:.3f} (F1 {fit.f1:.3f}); "
            + (f"paths below {100 * level:.0f}% of a step's most frequent way out left out "
               "where the log shows no structure with them." if level else "no path left out."))
    expected = cycle_time(process).expected.total_seconds()
    warning = _cycle_warning(expected, median)
    note += (f"\nCases take a median {seconds(median)}, p90 {seconds(p90)} (first event to last); "
             f"the map's expected cycle time is {seconds(expected)}." + (f" {warning}" if warning else ""))
    process = process.model_copy(update={"note": note})
    return Discovery(process, variants, kept_variants, kept_cases, log.cases, tree, fit, level,
                     durations, (median, p90), expected, warning)


def _cycle_warning(expected: float, median: float | None) -> str | None:
    """A warning when the map's expected cycle time and the log's median differ by more than 2×."""
    if not median or median <= 0:
        return None
    if expected > 2 * median or expected < median / 2:
        return (f"Warning: the map's expected cycle time ({seconds(expected)}) and the log's median "
                f"case ({seconds(median)}) differ by more than a factor of two: the map's waits are "
                "medians per step, and rework, parallel work and rare paths make real cases longer "
                "or shorter than the map's expected path.")
    return None


class _Map:
    """The steps and flows of a map being built from blocks."""

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}  # node -> task, decision, parallel, merge, start, end
        self.labels: dict[str, str] = {}  # task node -> activity
        self.edges: dict[tuple[str, str], int | None] = {}  # flow -> cases (out of decisions)
        self.counter: Counter[str] = Counter()
        self.named: dict[str, str] = {}

    def node(self, kind: str, prefix: str, activity: str | None = None) -> str:
        self.counter[prefix] += 1
        sid = f"{prefix}-{self.counter[prefix]}"
        self.kinds[sid] = kind
        if activity is not None:
            self.labels[sid] = activity
        return sid

    def flow(self, source: str, target: str, cases: int | None = None) -> None:
        before = self.edges.get((source, target))
        self.edges[source, target] = cases if before is None else before + (cases or 0)

    def through(self, source: str, part: tuple[str, str, int] | None, target: str,
                cases: int | None = None) -> None:
        """``source`` → ``part`` → ``target``, or straight on when the part is silent (None);
        ``cases`` on the way in."""
        if part is None:
            self.flow(source, target, cases)
        else:
            self.flow(source, part[0], cases)
            self.flow(part[1], target, part[2])

    def build(self, block: Block) -> tuple[str, str, int] | None:
        """Add ``block``; its first and last node and how many cases leave it, or None if silent."""
        if block.kind == blocks.ACTIVITY:
            sid = self.node("task", "task", block.label)
            return sid, sid, block.cases
        if block.kind == blocks.SILENT:
            return None
        if block.kind == blocks.SEQUENCE:
            parts = [p for p in map(self.build, block.children) if p is not None]
            if not parts:
                return None
            for one, two in zip(parts, parts[1:], strict=False):
                self.flow(one[1], two[0], one[2])
            return parts[0][0], parts[-1][1], parts[-1][2]
        if block.kind == blocks.CHOICE:
            decision, merge = self.node("decision", "choice"), self.node("merge", "merge")
            for child in block.children:
                self.through(decision, self.build(child), merge, child.cases)
            return decision, merge, block.cases
        if block.kind == blocks.PARALLEL:
            fork, join = self.node("parallel", "together"), self.node("parallel", "join")
            for child in block.children:
                part = self.build(child)
                if part is not None:
                    self.flow(fork, part[0])
                    self.flow(part[1], join, part[2])
            return fork, join, block.cases
        body, redo = block.children
        entry, again = self.node("merge", "merge"), self.node("decision", "again")
        self.through(entry, self.build(body), again)
        self.through(again, self.build(redo), entry, redo.cases)
        return entry, again, max(0, block.cases - redo.cases)

    def successors(self, sid: str) -> list[str]:
        return [t for (s, t) in self.edges if s == sid]

    def predecessors(self, sid: str) -> list[str]:
        return [s for (s, t) in self.edges if t == sid]

    def settle_merges(self) -> None:
        """Where ways meet, the step after takes them in (a task, decision or end merges
        alternatives by itself); only before a parallel gateway does a merge stay, as a
        decision with one way out."""
        changed = True
        while changed:
            changed = False
            for sid in [n for n, k in self.kinds.items() if k == "merge"]:
                (after,) = self.successors(sid)
                ins = self.predecessors(sid)
                if len(ins) > 1 and self.kinds[after] == "parallel":
                    continue
                for source in ins:
                    cases = self.edges.pop((source, sid))
                    self.flow(source, after, cases)
                del self.edges[sid, after]
                del self.kinds[sid]
                changed = True
        for sid, kind in self.kinds.items():
            if kind == "merge":
                self.kinds[sid] = "meet"



def _lanes(acts: list[stats.Activity], customer_lanes: tuple[str, ...]) -> tuple[dict[str, Actor], dict[str, str]]:
    """The actors, and each activity's actor id.

    Each lane of the log is a team, but the lanes named as the customer's; a lane
    the log leaves as a placeholder (``EMPTY``, ``none``, blank) is no lane, unless
    it is named as the customer's. Activities with no lane share one plain lane:
    the team of the process.
    """
    named = set(customer_lanes)
    lanes = sorted({a.lane for a in acts if a.lane is not None and (a.lane in named or not _placeholder(a.lane))})
    customers = [lane for lane in lanes if lane in named]
    ids = dict(zip(customers, [CUSTOMER] if len(customers) == 1 else
                   _unique_ids([f"customer {c}" for c in customers], {TEAM}).values(), strict=True))
    ids.update(_unique_ids([lane for lane in lanes if lane not in named], {CUSTOMER, TEAM, *ids.values()}))
    actors: dict[str, Actor] = {}
    for lane in customers:  # the customer's lanes first: outside in
        plain = "Customer" if _placeholder(lane) else lane
        actors[ids[lane]] = Actor(kind=ActorKind.CUSTOMER, name=plain,
                                  note=None if plain == lane else f"The lane {lane!r} of the log")
    for lane in lanes:
        if lane not in named:
            actors[ids[lane]] = Actor(kind=ActorKind.TEAM, name=lane)
    lane_of = {a.name: ids.get(a.lane, TEAM) if a.lane else TEAM for a in acts}
    if TEAM in lane_of.values():
        actors[TEAM] = Actor(kind=ActorKind.TEAM, name="Process team" if not lanes else "Other teams",
                             note="Activities whose lane the log does not say")
    if any(a.customer for a in acts) and CUSTOMER not in actors:
        actors = {CUSTOMER: Actor(kind=ActorKind.CUSTOMER, name="Customer"), **actors}
    return actors, lane_of


PLACEHOLDERS = frozenset({"", "empty", "none", "null", "nan", "n/a", "na", "-", "unknown"})


def _placeholder(lane: str) -> bool:
    return lane.strip().lower() in PLACEHOLDERS


def _build(log, acts, tree: Block, variants, kept_variants, kept_cases, name,
           customer_lanes: tuple[str, ...] = ()) -> Process:
    actors, lane_of = _lanes(acts, customer_lanes)
    by_name = {a.name: a for a in acts}

    m = _Map()
    start, end = m.node("start", "start"), m.node("end", "end")
    m.through(start, m.build(tree), end)
    m.settle_merges()

    # ids: an activity's step id is made from its name; gateways are numbered in flow order
    order = _flow_order(m, start)
    step_ids = _unique_ids([m.labels[n] for n in order if n in m.labels], {START, END})
    ids: dict[str, str] = {start: START, end: END}
    numbered: Counter[str] = Counter()
    for n in order:
        if n in m.labels:
            ids[n] = step_ids[m.labels[n]]  # each activity is in one block only
        elif n not in ids:
            prefix = n.rsplit("-", 1)[0]
            numbered[prefix] += 1
            ids[n] = f"{prefix}-{numbered[prefix]}"
    customers = {a for a, actor in actors.items() if actor.kind is ActorKind.CUSTOMER}
    actor = _actors(m, order, start, lane_of, customers)
    titles = {n: m.labels.get(n) for n in order}
    steps: dict[str, Step] = {}
    for n in order:
        kind = m.kinds[n]
        outs = m.successors(n)
        fields: dict = {"actor": actor[n]}
        if kind == "task":
            a = by_name[m.labels[n]]
            fields.update(name=a.name, wait=_wait(a.median_wait), note=_activity_note(a, log))
            if a.customer and actors[actor[n]].kind is not ActorKind.CUSTOMER:
                fields["with_"] = (CUSTOMER,)
        elif kind == "start":
            fields.update(name="Case starts", kind=StepKind.START)
        elif kind == "end":
            fields.update(name="Case ends", kind=StepKind.END, delivers=(OUTCOME,))
        elif kind == "parallel":
            fields.update(kind=StepKind.PARALLEL,
                          name="Side by side" if len(outs) > 1 else "All done")
        elif kind == "meet":  # alternatives meet before a parallel gateway
            (after,) = outs
            fields.update(kind=StepKind.DECISION, name="Ways meet",
                          branches={_branch_labels(m, outs, ids, titles)[after]: Branch(to=ids[after])})
        if kind == "decision":
            counts = {ids[t]: m.edges[n, t] or 0 for t in outs}
            shares = _shares(counts) if sum(counts.values()) else {t: None for t in counts}
            labels = _branch_labels(m, outs, ids, titles)
            fields.update(kind=StepKind.DECISION, name=_decision_name(m, n, titles, ids, start),
                          branches={labels[t]: Branch(to=ids[t], probability=shares[ids[t]])
                                    for t in sorted(outs, key=lambda t: -(m.edges[n, t] or 0))},
                          note="next: " + _counted({labels[t]: m.edges[n, t] or 0 for t in outs},
                                                   max(1, sum(counts.values()))))
        elif kind != "meet":
            fields["then"] = tuple(ids[t] for t in outs)
        steps[ids[n]] = Step(**fields)
    return Process(
        procmap=1,
        process=_map_id(name or log.path.name.split(".")[0]),
        name=f"As-is: {name or log.path.name}",
        note=_process_note(log, variants, kept_variants, kept_cases),
        actors=actors,
        outcomes={OUTCOME: Outcome(name="Case completed")},
        steps=steps,
    )


def _flow_order(m: _Map, start: str) -> list[str]:
    """The nodes in the order a case meets them (depth first from the start, loops cut)."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [start]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        order.append(n)
        stack.extend(reversed(m.successors(n)))
    return order + [n for n in m.kinds if n not in seen]


def _actors(m: _Map, order: list[str], start: str, lane_of, customers: set[str]) -> dict[str, str]:
    """Tasks in their activity's lane; gateways and the end in the lane of the step before,
    the start in the lane of the first step, so that a gateway adds no hand-off. The
    organisation decides, not the customer: a gateway after a customer's step goes to
    the lane of the work after it."""
    actor: dict[str, str] = {n: lane_of[m.labels[n]] for n in order if n in m.labels}
    for _ in range(len(order)):
        for n in order:
            if n in actor or m.kinds[n] == "start":
                continue
            known = [actor[p] for p in m.predecessors(n) if p in actor and actor[p] not in customers]
            if known:
                actor[n] = Counter(known).most_common(1)[0][0]
    for _ in range(len(order)):  # after the customer's steps: the lane of the work that follows
        for n in reversed(order):
            if n not in actor and m.kinds[n] != "start":
                after = [actor[t] for t in m.successors(n) if t in actor and actor[t] not in customers]
                if after:
                    actor[n] = after[0]
    for n in order:  # the start, and what only the start leads to
        if n not in actor:
            after = [actor[s] for s in m.successors(n) if s in actor]
            actor[n] = after[0] if after else next(iter(lane_of.values()), TEAM)
    return actor


def _branch_labels(m: _Map, outs: list[str], ids: dict[str, str], titles: dict[str, str | None]) -> dict[str, str]:
    labels: dict[str, str] = {}
    used: set[str] = set()
    for t in outs:
        text = titles.get(t) or _gateway_title(m, t, titles)
        label, n = text, 2
        while label in used:
            label, n = f"{text} ({n})", n + 1
        used.add(label)
        labels[t] = label
    return labels


def _gateway_title(m: _Map, sid: str, titles: dict[str, str | None], depth: int = 0) -> str:
    kind = m.kinds[sid]
    if kind == "end":
        return "Case ends"
    outs = m.successors(sid)
    if depth < 4 and outs:
        names = [titles.get(t) or _gateway_title(m, t, titles, depth + 1) for t in outs]
        joiner = " and " if kind == "parallel" else " or "
        return joiner.join(names) if len(names) <= 3 else joiner.join(names[:2]) + " …"
    return "Go on"


def _decision_name(m: _Map, sid: str, titles, ids, start) -> str:
    before = [p for p in m.predecessors(sid) if titles.get(p)]
    if sid.startswith("again"):
        return "Again?"
    if before:
        return f"After {titles[before[0]]}: which way?"
    return "Which way?"


def _activity_note(a: stats.Activity, log: EventLog) -> str:
    return (f"{a.events} events in {a.cases} cases; wait before it: median "
            f"{seconds(a.median_wait)}, p90 {seconds(a.p90_wait)}")


def _counted(counts: dict[str, int], total: int) -> str:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{k} {n} ({100 * n / total:.0f}%)" for k, n in ordered)


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def _process_note(log: EventLog, variants, kept_variants: int, kept_cases: int) -> str:
    lines = [
        f"Discovered from {log.path.name}: {log.cases} cases, {log.events} events, "
        f"{len(variants)} variants.",
    ]
    if log.columns.transitions:
        lines[0] += (f" Only the events of lifecycle {', '.join(log.columns.transitions)}; "
                     f"{log.other_transitions} others left out.")
    if kept_cases < log.cases:
        lines.append(
            f"Drawn from the {kept_variants} most frequent variants: {kept_cases} cases "
            f"({100 * kept_cases / log.cases:.0f}%)."
        )
    lines.append("Most frequent variants:")
    for i, v in enumerate(variants[:TOP_VARIANTS], 1):
        path = " → ".join(v.activities[:12]) + (" → …" if len(v.activities) > 12 else "")
        lines.append(f"{i}. {_cases(v.cases)} ({100 * v.cases / log.cases:.1f}%): {path}")
    return "\n".join(lines)
