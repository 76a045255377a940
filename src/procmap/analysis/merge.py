"""The workshop merge (seed 003): participants map alone, then procmap merges.

Participants are named by each map's ``author:``, else its file name, and taken
in name order, so the result does not depend on the order of the inputs.

Steps are matched across maps

1. by id;
2. else by similar name in the same lane: names are normalised (case, digits,
   stop words, synonyms such as enter/capture/record; see the redundant-work
   rule) and match when their similarity is at least ``threshold`` (85 of 100 by
   default, rapidfuzz's ratio on the normalised names);
3. and as the facilitator says: ``matches`` pairs of step ids that are the same
   step.

Each group of matched steps becomes one step: the id, name, lane and kind most
participants used (ties: the first participant in name order), the union of
its flows, outcomes and people involved. Actors and outcomes are matched by id.
An element that not everyone drew is marked ``seen-by``; the report lists the
agreement, what everyone saw, what only one participant saw, and the conflicts
to discuss.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from procmap.model.process import Process, StepKind
from procmap.rules.cross_functional.redundant_work import normalise

DEFAULT_THRESHOLD = 85.0


@dataclass(frozen=True)
class Participant:
    """One workshop participant's map."""

    name: str
    process: Process


@dataclass(frozen=True)
class Conflict:
    """Something participants drew differently: a point for the group to discuss."""

    kind: str  # lane, order, branches, owner, level
    element: str
    text: str


@dataclass
class MergeResult:
    """The merged map and the facilitator's report."""

    process: Process
    participants: list[str]
    seen: dict[str, dict[str, list[str]]]
    """Element type (steps, actors, outcomes, flows) → element → participants who drew it."""
    conflicts: list[Conflict] = field(default_factory=list)

    def agreement(self) -> dict[str, float]:
        """Per element type: the average share of participants who drew an element."""
        n = len(self.participants)
        return {
            kind: (sum(len(p) for p in items.values()) / (n * len(items)) if items else 1.0)
            for kind, items in self.seen.items()
        }

    def seen_by_all(self, kind: str) -> list[str]:
        """Elements of one type that every participant drew."""
        return [e for e, who in self.seen[kind].items() if len(who) == len(self.participants)]

    def seen_by_one(self, kind: str) -> dict[str, str]:
        """Elements of one type that only one participant drew, with who."""
        if len(self.participants) < 2:
            return {}
        return {e: who[0] for e, who in self.seen[kind].items() if len(who) == 1}


def participant_name(process: Process, fallback: str) -> str:
    """The participant a map stands for: its author, else the file name."""
    return process.author or fallback


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _most_common(values: Iterable[Any]) -> Any:
    """The value given most often; ties go to the first given (participants in name order)."""
    items = [v for v in values if v is not None]
    if not items:
        return None
    counts = Counter(items)
    best = max(counts.values())
    return next(v for v in items if counts[v] == best)


def merge(
    participants: Sequence[Participant],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    matches: Iterable[tuple[str, str]] = (),
) -> MergeResult:
    """Merge the participants' maps of one process into one map and a report."""
    people = sorted(participants, key=lambda p: p.name)
    names = list(dict.fromkeys(p.name for p in people))
    occurrences = [(i, sid) for i, p in enumerate(people) for sid in p.process.steps]
    groups = _match_steps(people, occurrences, threshold, list(matches))
    canonical = _canonical_ids(people, occurrences, groups)
    conflicts: list[Conflict] = []
    steps, seen_steps, seen_flows = _merge_steps(people, occurrences, groups, canonical, conflicts)
    actors, seen_actors = _merge_by_id(people, "actors")
    outcomes, seen_outcomes = _merge_by_id(people, "outcomes")
    everyone = set(names)
    if len(names) < len(people):  # one participant's map given twice: no one missed anything
        for seen in (seen_steps, seen_flows, seen_actors, seen_outcomes):
            for key in seen:
                seen[key] = list(dict.fromkeys(seen[key]))
    top = {
        key: _most_common(getattr(p.process, attr) for p in people)
        for key, attr in (("process", "process"), ("name", "name"), ("level", "level"),
                          ("owner", "owner"), ("part-of", "part_of"), ("note", "note"))
    }
    for key in ("owner", "level"):
        given = {getattr(p.process, key) for p in people} - {None}
        if len(given) > 1:
            said = "; ".join(f"{p.name}: {getattr(p.process, key)}" for p in people
                             if getattr(p.process, key) is not None)
            conflicts.append(Conflict(key, top["process"], f"different {key}s ({said})"))
    data: dict[str, Any] = {"procmap": 1, **{k: v for k, v in top.items() if v is not None}}
    if len({p.process.author for p in people}) == 1 and people[0].process.author:
        data["author"] = people[0].process.author
    data["actors"] = _annotate(actors, seen_actors, everyone)
    data["outcomes"] = _annotate(outcomes, seen_outcomes, everyone)
    data["steps"] = _annotate(steps, seen_steps, everyone)
    process = Process.model_validate(data)
    conflicts += _order_conflicts(seen_flows, process)
    return MergeResult(
        process=process,
        participants=names,
        seen={"steps": seen_steps, "actors": seen_actors, "outcomes": seen_outcomes,
              "flows": {f"{a} → {b}": who for (a, b), who in seen_flows.items()}},
        conflicts=sorted(conflicts, key=lambda c: (c.kind, c.element, c.text)),
    )


def _match_steps(
    people: list[Participant], occurrences: list[tuple[int, str]], threshold: float,
    matches: list[tuple[str, str]],
) -> _UnionFind:
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    uf = _UnionFind(len(occurrences))
    by_id: dict[str, int] = {}
    for n, (_, sid) in enumerate(occurrences):
        if sid in by_id:
            uf.union(n, by_id[sid])
        by_id.setdefault(sid, n)
    for a, b in matches:
        if a in by_id and b in by_id:
            uf.union(by_id[a], by_id[b])
    # by name, within a lane, and only between different participants: two steps
    # one participant drew are two steps, however alike their names
    lanes: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for n, (i, sid) in enumerate(occurrences):
        process = people[i].process
        name = normalise(process.step_title(sid), keep_digits=True)
        if name:
            lanes[process.steps[sid].actor][name].append(n)
    for names in lanes.values():
        texts = list(names)
        firsts = [names[t][0] for t in texts]
        for t in texts:
            _join_across(uf, names[t], occurrences)
        if len(texts) < 2:
            continue
        scores = cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
        for a, b in zip(*scores.nonzero(), strict=True):
            if a < b and occurrences[firsts[a]][0] != occurrences[firsts[b]][0]:
                uf.union(firsts[a], firsts[b])
    return uf


def _join_across(uf: _UnionFind, members: list[int], occurrences: list[tuple[int, str]]) -> None:
    """Join the steps of one name drawn by different participants (one per participant)."""
    first_of: dict[int, int] = {}
    for n in members:
        first_of.setdefault(occurrences[n][0], n)
    heads = list(first_of.values())
    for n in heads[1:]:
        uf.union(heads[0], n)


def _canonical_ids(
    people: list[Participant], occurrences: list[tuple[int, str]], groups: _UnionFind
) -> dict[int, str]:
    members: dict[int, list[str]] = defaultdict(list)
    for n, (_, sid) in enumerate(occurrences):
        members[groups.find(n)].append(sid)
    chosen: dict[int, str] = {}
    used: set[str] = set()
    for root in sorted(members):
        sid = _most_common(members[root])
        while sid in used:
            sid += "-2"
        used.add(sid)
        chosen[root] = sid
    return {n: chosen[groups.find(n)] for n in range(len(occurrences))}


def _merge_steps(
    people: list[Participant],
    occurrences: list[tuple[int, str]],
    groups: _UnionFind,
    canonical: dict[int, str],
    conflicts: list[Conflict],
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]], dict[tuple[str, str], list[str]]]:
    index = {(i, sid): n for n, (i, sid) in enumerate(occurrences)}
    drawn: dict[str, list[tuple[Participant, str]]] = defaultdict(list)
    for n, (i, sid) in enumerate(occurrences):
        drawn[canonical[n]].append((people[i], sid))
    steps: dict[str, dict[str, Any]] = {}
    seen: dict[str, list[str]] = {}
    for cid, versions in drawn.items():
        fields = [p.process.steps[sid] for p, sid in versions]
        seen[cid] = list(dict.fromkeys(p.name for p, _ in versions))
        lanes = {s.actor for s in fields}
        if len(lanes) > 1:
            said = "; ".join(f"{p.name}: {p.process.steps[sid].actor}" for p, sid in versions)
            conflicts.append(Conflict("lane", cid, f"drawn in different lanes ({said})"))
        step: dict[str, Any] = {
            "name": _most_common(p.process.steps[sid].name for p, sid in versions),
            "actor": _most_common(s.actor for s in fields),
            "kind": _most_common(s.kind.value for s in fields),
        }
        for key, attr in (("channel", "channel"), ("duration", "duration"), ("wait", "wait"),
                          ("fails", "fails"), ("value", "value"), ("calls", "calls"),
                          ("rule", "rule"), ("note", "note")):
            value = _most_common(getattr(s, attr) for s in fields)
            if value is not None:
                step[key] = value.value if hasattr(value, "value") and key in ("channel", "value") else value
        for key, attr in (("with", "with_"), ("delivers", "delivers")):
            union = list(dict.fromkeys(x for s in fields for x in getattr(s, attr)))
            if union:
                step[key] = union
        steps[cid] = step
    flows: dict[tuple[str, str], list[str]] = {}
    branches: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    branch_sets: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for i, p in enumerate(people):
        for written in _written_flows(p.process):
            via, source, target, label, probability = written
            a = canonical[index[(i, source)]]
            b = canonical[index[(i, target)]]
            if a == b:
                continue
            who = flows.setdefault((a, b), [])
            if p.name not in who:
                who.append(p.name)
            if via == "branch":
                branch_sets[a].setdefault(p.name, set()).add(label)
                if label in branches[a] and branches[a][label]["to"] != b:
                    label = f"{label} ({p.name})"
                branches[a].setdefault(label, {"to": b, "probability": probability})
            else:
                holder, other = (steps[b], a) if via == "needs" else (steps[a], b)
                listed = holder.setdefault(via, [])
                if other not in listed:
                    listed.append(other)
    for cid, by_person in branch_sets.items():
        if len({frozenset(v) for v in by_person.values()}) > 1:
            said = "; ".join(f"{who}: {', '.join(sorted(v))}" for who, v in by_person.items())
            conflicts.append(Conflict("branches", cid, f"decision with different branches ({said})"))
    for cid, step in steps.items():
        if cid in branches:
            step["branches"] = {
                label: b["to"] if b["probability"] is None else b
                for label, b in branches[cid].items()
            }
            if step["kind"] != StepKind.DECISION.value:
                step["kind"] = StepKind.DECISION.value
        elif step["kind"] == StepKind.DECISION.value:
            step["kind"] = StepKind.TASK.value  # nobody drew its branches
    return steps, seen, flows


def _written_flows(process: Process) -> Iterable[tuple[str, str, str, str, float | None]]:
    """Every flow as the map wrote it: (via, source, target, branch label, probability)."""
    for sid, step in process.steps.items():
        for label, branch in step.branches.items():
            yield "branch", sid, branch.to, label, branch.probability
        for target in step.then:
            yield "then", sid, target, "", None
        for source in step.needs:
            yield "needs", source, sid, "", None


def _merge_by_id(
    people: list[Participant], collection: str
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    merged: dict[str, dict[str, Any]] = {}
    seen: dict[str, list[str]] = {}
    for p in people:
        for key, element in getattr(p.process, collection).items():
            seen.setdefault(key, []).append(p.name)
            if key not in merged:
                merged[key] = element.model_dump(by_alias=True, exclude_defaults=True, mode="json",
                                                 exclude={"seen_by"})
    return merged, seen


def _annotate(
    elements: dict[str, dict[str, Any]], seen: dict[str, list[str]], everyone: set[str]
) -> dict[str, dict[str, Any]]:
    """Mark the elements not everyone drew with the participants who did."""
    for key, element in elements.items():
        element.pop("seen-by", None)
        if set(seen[key]) != everyone:
            element["seen-by"] = seen[key]
    return elements


def _order_conflicts(flows: dict[tuple[str, str], list[str]], process: Process) -> list[Conflict]:
    found = []
    for (a, b), who in flows.items():
        if (b, a) in flows and a < b:
            other = flows[(b, a)]
            only_forward = [p for p in who if p not in other]
            only_backward = [p for p in other if p not in who]
            if not (only_forward and only_backward):
                continue  # a loop that someone drew both ways is no disagreement
            who, other = only_forward, only_backward
            found.append(Conflict(
                "order", a,
                f"'{process.step_title(a)}' comes before '{process.step_title(b)}' for "
                f"{', '.join(who)}, after it for {', '.join(other)}",
            ))
    return found


def report_data(result: MergeResult) -> dict[str, Any]:
    """The facilitator's report, JSON-ready."""
    return {
        "participants": result.participants,
        "agreement": {k: round(v, 4) for k, v in result.agreement().items()},
        "seen_by_all": {k: result.seen_by_all(k) for k in result.seen},
        "seen_by_one": {k: result.seen_by_one(k) for k in result.seen},
        "conflicts": [{"kind": c.kind, "element": c.element, "text": c.text}
                      for c in result.conflicts],
    }
