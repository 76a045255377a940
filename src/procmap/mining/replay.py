"""Fitness and precision of a map against a log, as token-based replay computes them.

The map becomes a Petri net the way a BPMN tool's conversion makes one from
procmap's BPMN export (the conversion PM4Py applies, with its reduction of
silent transitions): each sequence flow a place, each task a transition
labelled with its name, gateways and events silent transitions, a parallel
gateway with several ways out or in one silent transition that forks or joins.
Each variant of the log is then replayed with tokens:

* an activity's transition fires when its places hold tokens; when they do not,
  silent transitions that lead there fire first (the fewest that enable it); when
  even that fails, the missing tokens are added and counted;
* at the end, silent transitions that lead to the end fire; tokens left behind
  are counted as remaining, an end not reached as missing;
* **fitness** = ½ (1 − missing / consumed) + ½ (1 − remaining / produced), the
  counts summed over every case;
* **precision** (ETConformance): after each prefix of a case that fits so far, the
  activities the map would allow next (through silent transitions) against those
  the log shows next; precision = 1 − the share of allowed activities never seen
  there, weighed by how many cases reach each prefix.

Activities the map has no step for are passed over. Variants are replayed once.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

from procmap.model.process import Process

Marking = tuple[tuple[str, int], ...]  # sorted (place, tokens) with tokens > 0
MAX_SEARCH = 4000  # markings a search through silent transitions may visit


@dataclass
class Transition:
    name: str
    label: str | None
    ins: list[str] = field(default_factory=list)
    outs: list[str] = field(default_factory=list)


@dataclass
class PetriNet:
    """Places, transitions, the initial and the final marking (one token each)."""

    transitions: dict[str, Transition]
    source: str = "source"
    sink: str = "sink"

    def by_label(self) -> dict[str, list[Transition]]:
        found: dict[str, list[Transition]] = {}
        for t in self.transitions.values():
            if t.label is not None:
                found.setdefault(t.label, []).append(t)
        return found


_TASKS = {"task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask"}
_GATEWAYS = {"exclusiveGateway", "parallelGateway"}


def petri_net(process: Process, labels: dict[str, str] | None = None) -> PetriNet:
    """The map as a Petri net, as its BPMN export converts (see the module docstring).

    ``labels``: step id → the activity it stands for (else the step's name).
    """
    from procmap.io.bpmn.collaboration import collaboration

    labels = labels or {}
    collab = collaboration(process, customer_as="lane")
    nodes = {n.id: n for n in collab.nodes.values()
             if n.tag in _TASKS | _GATEWAYS | {"startEvent", "endEvent"}}
    flows = [e for e in collab.edges if not e.message and e.source in nodes and e.target in nodes]
    outs, ins = Counter(e.source for e in flows), Counter(e.target for e in flows)
    net: dict[str, Transition] = {}
    entering: dict[str, tuple[str, str]] = {}  # node -> ("place"|"transition", name)
    exiting: dict[str, tuple[str, str]] = {}
    for node in nodes.values():
        ent, exi = f"ent_{node.id}", f"exi_{node.id}"
        label = None
        if node.tag in _TASKS:
            label = labels.get(node.step or "", node.name) or None
        net[node.id] = Transition(node.id, label, [ent], [exi])
        entering[node.id], exiting[node.id] = ("place", ent), ("place", exi)
        if node.tag == "parallelGateway":
            if outs[node.id] > 1:
                net[f"fork_{node.id}"] = Transition(f"fork_{node.id}", None, [exi], [])
                exiting[node.id] = ("transition", f"fork_{node.id}")
            if ins[node.id] > 1:
                net[f"join_{node.id}"] = Transition(f"join_{node.id}", None, [], [ent])
                entering[node.id] = ("transition", f"join_{node.id}")
        if node.tag == "startEvent":
            net[f"start_{node.id}"] = Transition(f"start_{node.id}", None, ["source"], [ent])
        elif node.tag == "endEvent":
            net[f"end_{node.id}"] = Transition(f"end_{node.id}", None, [exi], ["sink"])
    for edge in flows:
        place = edge.id
        kind, source = exiting[edge.source]
        if kind == "place":
            net[f"sfl_{edge.id}"] = Transition(f"sfl_{edge.id}", None, [source], [])
            source = f"sfl_{edge.id}"
        kind, target = entering[edge.target]
        if kind == "place":
            net[f"tfl_{edge.id}"] = Transition(f"tfl_{edge.id}", None, [], [target])
            target = f"tfl_{edge.id}"
        net[source].outs.append(place)
        net[target].ins.append(place)
    _reduce(net)
    return PetriNet(net)


def _reduce(net: dict[str, Transition]) -> None:
    """Merge silent transitions into their neighbour where a place links only the two.

    The first such transition in the net's order is merged, and the search starts again
    from the first; which transitions can be merged is kept up to date after each merge
    (only those next to the places it touched can change)."""
    order = {name: i for i, name in enumerate(net)}
    producers: dict[str, Counter[str]] = {}
    consumers: dict[str, Counter[str]] = {}
    for t in net.values():
        for p in t.outs:
            producers.setdefault(p, Counter())[t.name] += 1
        for p in t.ins:
            consumers.setdefault(p, Counter())[t.name] += 1

    def only(counts: Counter[str] | None) -> str | None:  # the one arc's transition, if one
        if counts is None or sum(counts.values()) != 1:
            return None
        return next(iter(counts))

    def upward(t: Transition) -> str | None:  # the producer to merge t into
        if t.label is not None or len(t.ins) != 1:
            return None
        place = t.ins[0]
        before = only(producers.get(place))
        return before if before is not None and before != t.name and only(consumers.get(place)) == t.name else None

    def downward(t: Transition) -> str | None:  # the consumer to merge t into
        if t.label is not None or len(t.outs) != 1:
            return None
        place = t.outs[0]
        after = only(consumers.get(place))
        return after if after is not None and after != t.name and only(producers.get(place)) == t.name else None

    ready = {name for name, t in net.items() if upward(t) is not None or downward(t) is not None}
    while ready:
        name = min(ready, key=order.__getitem__)
        t = net[name]
        touched = {*t.ins, *t.outs}
        upper = upward(t)
        if upper is not None:
            place = t.ins[0]
            other = net[upper]
            producers[place][upper] -= 1
            other.outs = [p for p in other.outs if p != place] + t.outs
            for p in t.outs:
                producers[p][name] -= 1
                producers[p][upper] += 1
            consumers[place][name] -= 1
        else:
            lower = downward(t)
            assert lower is not None
            place = t.outs[0]
            other = net[lower]
            consumers[place][lower] -= 1
            other.ins = [p for p in other.ins if p != place] + t.ins
            for p in t.ins:
                consumers[p][name] -= 1
                consumers[p][lower] += 1
            producers[place][name] -= 1
        for counts in (producers, consumers):
            for p in touched:
                if p in counts:
                    counts[p] = +counts[p]
        del net[name]
        ready.discard(name)
        near = {other.name} | {n for p in touched for counts in (producers, consumers)
                               for n in counts.get(p, ())}
        for n in near:
            if n in net and (upward(net[n]) is not None or downward(net[n]) is not None):
                ready.add(n)
            else:
                ready.discard(n)


def _freeze(marking: Counter) -> Marking:
    return tuple(sorted((p, n) for p, n in marking.items() if n > 0))


def _enabled(t: Transition, marking: Counter) -> bool:
    ins = t.ins
    if len(ins) == 1:
        return marking[ins[0]] > 0
    if len(set(ins)) == len(ins):
        return all(marking[p] > 0 for p in ins)
    need = Counter(ins)
    return all(marking[p] >= n for p, n in need.items())


def _fire(t: Transition, marking: Counter) -> Counter:
    """The marking after ``t`` fires: its places in the order they were first marked."""
    after = dict(marking)
    for p in t.ins:
        after[p] = after.get(p, 0) - 1
    for p in t.outs:
        after[p] = after.get(p, 0) + 1
    return Counter({p: n for p, n in after.items() if n > 0})


class Replayer:
    """Token-based replay of variants through one net, with what it found remembered.

    Silent transitions are walked as token-based replay walks them: along the
    shortest chains of silent transitions from the places that hold tokens to the
    places that lack them, nearest first, two levels deep at most.
    """

    def __init__(self, net: PetriNet) -> None:
        self.net = net
        self.labels = {label: ts[-1] for label, ts in net.by_label().items()}
        self.all_labels = net.by_label()
        self.consumers: dict[str, list[Transition]] = {}
        for t in sorted(net.transitions.values(), key=lambda t: t.name):
            for place in dict.fromkeys(t.ins):
                self.consumers.setdefault(place, []).append(t)
        self.paths = self._silent_paths()
        self._allowed: dict[Marking, frozenset[str]] = {}
        self._steps: dict[tuple[Marking, str, bool], tuple[Counter, bool, Counts]] = {}
        self._ends: dict[Marking, tuple[Counter, Counts]] = {}
        # markings met during a replay, each numbered once: the tokens as a number, so that
        # what a marking leads to is looked up without sorting its places again
        self._numbers: dict[Marking, int] = {}
        self._known: dict[int, tuple[Counter, int]] = {}  # id of a marking -> it, its number
        self.moves: dict[tuple[int, str, bool], tuple[Counter, int, bool, int, int, int]] = {}
        self.allowed_by: dict[int, frozenset[str]] = {}
        self.ends_by: dict[int, Counts] = {}

    def _silent_paths(self) -> dict[str, dict[str, list[Transition]]]:
        """For each place, the shortest chain of silent transitions to each place it leads to."""
        paths: dict[str, dict[str, list[Transition]]] = {}
        places = {p for t in self.net.transitions.values() for p in (*t.ins, *t.outs)}
        for start in sorted(places):
            found: dict[str, list[Transition]] = {}
            todo = deque([(start, [])])
            while todo:
                place, chain = todo.popleft()
                for t in self.consumers.get(place, ()):
                    if t.label is not None:
                        continue
                    for after in t.outs:
                        if after not in found or len(chain) + 1 < len(found[after]):
                            found[after] = chain + [t]
                            if len(chain) < 50:
                                todo.append((after, chain + [t]))
            paths[start] = found
        return paths

    def _chains(self, marking: Counter, targets) -> list[list[Transition]]:
        chains = [self.paths[p1][p2] for p1 in sorted(marking) for p2 in sorted(targets)
                  if p2 in self.paths.get(p1, {})]
        return sorted(chains, key=len)

    def _walk(self, t: Transition, marking: Counter, fired: list[Transition], visited: set[str],
              depth: int = 0) -> Counter:
        """Fire silent transitions to enable ``t`` (appending them to ``fired``)."""
        if depth >= 2 or t.name in visited:
            return marking
        visited.add(t.name)
        at_start = Counter(marking)
        lacking = {p for p, n in Counter(t.ins).items() if marking[p] < n}
        chains = self._chains(marking, lacking)
        if not chains:
            return marking
        index = [0] * len(chains)
        z = 0
        while True:  # round the chains, firing what is enabled, until t is or nothing moves
            g = z % len(chains)
            changed = False
            for _ in range(index[g], len(chains[g])):
                t3 = chains[g][index[g]]
                if t3.name != t.name and _enabled(t3, marking) and t3.name not in visited:
                    marking = _fire(t3, marking)
                    fired.append(t3)
                    visited.add(t3.name)
                    changed = True
                index[g] += 1
                if _enabled(t, marking):
                    break
            if _enabled(t, marking) or not changed:
                break
            z += 1
        if not _enabled(t, marking):
            for chain in self._chains(marking, lacking):
                for t4 in chain:
                    if t4.name == t.name or t4.name in visited:
                        continue
                    if not _enabled(t4, marking):
                        marking = self._walk(t4, marking, fired, visited, depth + 1)
                    if _enabled(t4, marking):
                        marking = _fire(t4, marking)
                        fired.append(t4)
                        visited.add(t4.name)
        if not _enabled(t, marking) and marking != at_start:
            marking = self._walk(t, marking, fired, visited, depth + 1)
        return marking

    def _to_end(self, marking: Counter, fired: list[Transition]) -> Counter:
        sink = self.net.sink
        for _ in range(5):
            if marking[sink] > 0:
                break
            for chain in self._chains(marking, [sink]):
                for t in chain:
                    if _enabled(t, marking):
                        marking = _fire(t, marking)
                        fired.append(t)
            if marking[sink] > 0:
                break
        if marking[sink] == 0:
            chains = sorted(((p, self.paths[p][sink]) for p in marking if sink in self.paths.get(p, {})),
                            key=lambda pc: len(pc[1]))
            for _ in range(5):
                for _, chain in chains:
                    for t in chain:
                        if not _enabled(t, marking):
                            break
                        marking = _fire(t, marking)
                        fired.append(t)
        return marking

    def allowed(self, marking: Counter) -> frozenset[str]:
        """The activities whose transitions are enabled now or after silent firings.

        Explored as token-based replay explores them: each enabled transition in
        turn, a silent one fired from the marking it was last found enabled in.
        """
        key = _freeze(marking)
        if key not in self._allowed:
            ordered = sorted(self.net.transitions.values(), key=lambda t: t.name)
            todo = [t for t in ordered if _enabled(t, marking)]
            where = {t.name: marking for t in todo}
            found: set[str] = set()
            seen: set[tuple[str, Marking]] = set()
            i = 0
            while i < len(todo) and i < MAX_SEARCH * 10:
                t = todo[i]
                here = where[t.name]
                state = (t.name, _freeze(here))
                if state not in seen:
                    if t.label is not None:
                        found.add(t.label)
                    elif _enabled(t, here):
                        there = _fire(t, here)
                        for t2 in ordered:
                            if _enabled(t2, there):
                                todo.append(t2)
                                where[t2.name] = there
                    seen.add(state)
                i += 1
            self._allowed[key] = frozenset(found)
        return self._allowed[key]

    def pick(self, activity: str, marking: Counter) -> Transition:
        return next((t for t in self.all_labels[activity] if _enabled(t, marking)), self.labels[activity])

    def step(self, activity: str, marking: Counter, strict: bool) -> tuple[Counter, bool, Counts]:
        """One event: the marking after it, whether it fired without missing tokens, the
        tokens counted. ``strict``: stop at a missing token instead of adding it."""
        key = (_freeze(marking), activity, strict)
        if key not in self._steps:
            counts = Counts()
            t = self.pick(activity, marking)
            if not _enabled(t, marking):
                fired: list[Transition] = []
                marking = self._walk(t, Counter(marking), fired, set())
                for s in fired:
                    counts.consumed += len(s.ins)
                    counts.produced += len(s.outs)
            fits = _enabled(t, marking)
            if not fits and strict:
                self._steps[key] = (marking, False, counts)
                return self._steps[key]
            if not fits:
                lacking = Counter(t.ins) - marking
                counts.missing += sum(lacking.values())
                marking = marking + lacking
            marking = _fire(t, marking)
            counts.consumed += len(t.ins)
            counts.produced += len(t.outs)
            self._steps[key] = (marking, fits, counts)
        return self._steps[key]

    def end(self, marking: Counter) -> Counts:
        """The end of a trace: silent transitions to the end, what is missing and left."""
        key = _freeze(marking)
        if key not in self._ends:
            fired: list[Transition] = []
            after = self._to_end(Counter(marking), fired)
            counts = Counts(consumed=1 + sum(len(s.ins) for s in fired),
                            produced=sum(len(s.outs) for s in fired))
            if after[self.net.sink] == 0:
                counts.missing += 1
            else:
                after[self.net.sink] -= 1
            counts.remaining = sum(after.values())
            self._ends[key] = (after, counts)
        return self._ends[key][1]

    def number(self, marking: Counter) -> int:
        """The number of ``marking``'s tokens: the same for every marking with the same tokens.

        Markings handed out by :meth:`move` are kept, so each is sorted once."""
        known = self._known.get(id(marking))
        if known is None or known[0] is not marking:
            key = _freeze(marking)
            n = self._numbers.setdefault(key, len(self._numbers))
            known = self._known[id(marking)] = (marking, n)
        return known[1]

    def move(self, activity: str, marking: Counter, number: int,
             strict: bool) -> tuple[Counter, int, bool, int, int, int]:
        """:meth:`step` from ``marking`` (whose number is ``number``): the marking after it and
        its number, whether it fit, the tokens produced, consumed and missing. Kept in
        ``moves`` by (number, activity, strict)."""
        after, ok, counts = self.step(activity, marking, strict)
        found = self.moves[number, activity, strict] = (
            after, self.number(after), ok, counts.produced, counts.consumed, counts.missing)
        return found

    def allowed_at(self, marking: Counter, number: int) -> frozenset[str]:
        """:meth:`allowed`, kept in ``allowed_by`` by the marking's number."""
        found = self.allowed_by[number] = self.allowed(marking)
        return found

    def end_at(self, marking: Counter, number: int) -> Counts:
        """:meth:`end`, kept in ``ends_by`` by the marking's number."""
        found = self.ends_by[number] = self.end(marking)
        return found


@dataclass
class Counts:
    produced: int = 0
    consumed: int = 0
    missing: int = 0
    remaining: int = 0
    fits: bool = True


@dataclass
class Quality:
    """Token-based fitness and precision of a map against a log."""

    fitness: float
    precision: float
    fitting_cases: int
    cases: int

    @property
    def f1(self) -> float:
        total = self.fitness + self.precision
        return 2 * self.fitness * self.precision / total if total else 0.0


class VariantTree:
    """The variants of a log as a tree of their prefixes: each shared prefix one node, with
    the cases that pass it and the cases that end there. Built once, replayed through
    every map held against the same log."""

    def __init__(self, variants: dict[tuple[str, ...], int]) -> None:
        self.children: list[dict[str, int]] = [{}]  # node -> activity -> node after it
        self.passing: list[int] = [0]  # node -> the cases whose prefix it is
        self.ending: list[int] = [0]  # node -> the cases that end there
        children, passing, ending = self.children, self.passing, self.ending
        for trace, n in variants.items():
            node = 0
            for a in trace:
                after = children[node]
                child = after.get(a)
                if child is None:
                    child = after[a] = len(passing)
                    children.append({})
                    passing.append(0)
                    ending.append(0)
                passing[child] += n
                node = child
            ending[node] += n
        self.cases = sum(variants.values())


def quality(process: Process, variants: dict[tuple[str, ...], int] | VariantTree,
            labels: dict[str, str] | None = None) -> Quality:
    """Fitness and precision of ``process`` against the ``variants`` (activities → cases)."""
    replayer = Replayer(petri_net(process, labels))
    return measure(replayer, variants)


def measure(replayer: Replayer, variants: dict[tuple[str, ...], int] | VariantTree) -> Quality:
    """Replay every variant, each shared prefix once (a tree of the variants)."""
    tree = variants if isinstance(variants, VariantTree) else VariantTree(variants)
    children, passing, ending, cases = tree.children, tree.passing, tree.ending, tree.cases
    labels = replayer.labels
    produced_all = consumed_all = missing_all = remaining_all = 0
    fitting = 0
    # the empty prefix: what the map allows first against the log's first activities
    initial = Counter({replayer.net.source: 1})
    first = replayer.allowed(initial)
    at, escaping = cases * len(first), cases * len(first - set(children[0]))
    moves, allowed_by, ends_by = replayer.moves, replayer.allowed_by, replayer.ends_by
    start = replayer.number(initial)
    # (node, marking and its number, tokens produced, consumed and missing so far, fits so
    #  far, the marking of the strict replay and its number, or None once it has failed)
    stack = [(0, initial, start, 1, 0, 0, True, initial, start)]
    while stack:
        node, marking, number, produced, consumed, missing, fits, strict, strict_number = stack.pop()
        ends = ending[node]
        if ends:
            end = ends_by.get(number) or replayer.end_at(marking, number)
            produced_all += ends * (produced + end.produced)
            consumed_all += ends * (consumed + end.consumed)
            missing_all += ends * (missing + end.missing)
            remaining_all += ends * end.remaining
            if fits:  # as replay counts it: no token missing on the way
                fitting += ends
        going = children[node]
        if node and going and strict is not None:
            onward = passing[node] - ends
            allowed = allowed_by.get(strict_number)
            if allowed is None:
                allowed = replayer.allowed_at(strict, strict_number)
            at += onward * len(allowed)
            escaping += onward * len(allowed - going.keys())
        for a, child in going.items():
            if a not in labels:  # not in the map: passed over
                stack.append((child, marking, number, produced, consumed, missing, fits, strict,
                              strict_number))
                continue
            after, after_number, ok, p, c, m = (moves.get((number, a, False))
                                                or replayer.move(a, marking, number, False))
            strict_after, strict_after_number = None, -1
            if strict is not None:
                strict_after, strict_after_number, strict_ok, _, _, _ = (
                    moves.get((strict_number, a, True)) or replayer.move(a, strict, strict_number, True))
                if not strict_ok:
                    strict_after = None
            stack.append((child, after, after_number, produced + p, consumed + c, missing + m,
                          fits and ok, strict_after, strict_after_number))
    fitness = 1.0
    if consumed_all and produced_all:
        fitness = 0.5 * (1 - missing_all / consumed_all) + 0.5 * (1 - remaining_all / produced_all)
    precision = 1 - escaping / at if at else 1.0
    return Quality(fitness, precision, fitting, cases)
