"""The workshop merge (seed 003): participants map alone, then procmap merges.

Participants are named by each map's ``author:``, else its file name, and taken
in name order, so the result does not depend on the order of the inputs.

Steps are matched across maps

1. as the facilitator says: ``matches`` pairs of step ids that are the same step;
2. by id;
3. else by similar name in the same lane: names are normalised (case, digits,
   stop words, synonyms such as enter/capture/record; see the redundant-work
   rule) and match when their similarity is at least ``threshold`` (85 of 100 by
   default, rapidfuzz's ratio on the normalised names), the most alike first.

A match never puts two steps one participant drew into one: a step joins a group
only if none of the group's steps comes from the same map (so matches do not
chain: Ann's A like Bo's B like Ann's C leaves A and C apart).

Each group of matched steps becomes one step: the id, name, lane, kind, channel,
duration, wait and chance of failure most participants gave (ties: the first
participant in name order), the union of its flows, outcomes and people
involved. Actors and outcomes are matched by id, their kind the one most gave.
An element that not everyone drew is marked ``seen-by``; the report lists the
agreement, what everyone saw, what only one participant saw, and the conflicts
to discuss, with what each participant drew.

The merged map always loads:

* a decision's branch probabilities are the mean of the participants who gave
  numbers, each participant's numbers read as the analyses read them (branches
  without a number share the rest) and counted 0 for the branches they did not
  draw, so they add up to 1; branches only participants without numbers drew
  keep none;
* a step most drew as something other than a decision lists the branches others
  drew under ``then:`` (a decision nobody gave branches to becomes a task), and
  only a subprocess keeps ``calls``;
* where opposite orders close a loop with no way out, the flow fewest drew is
  left out (reported as a conflict).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from procmap.model.checks import endless_loops
from procmap.model.durations import describe_duration
from procmap.model.names import normalise
from procmap.model.process import Process, StepKind

DEFAULT_THRESHOLD = 85.0
NUMBERS = ("channel", "duration", "wait", "fails")
"""Step fields whose differences are reported as conflicts."""


@dataclass(frozen=True)
class Participant:
    """One workshop participant's map."""

    name: str
    process: Process


@dataclass(frozen=True)
class Conflict:
    """Something participants drew differently: a point for the group to discuss."""

    kind: str  # lane, kind, order, loop, branches, probabilities, actor, outcome, a step field, owner, level, match
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
    matched: dict[str, dict[str, str]] = field(default_factory=dict)
    """Participant → their step id → the merged step it became."""

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


class _Groups:
    """Union-find over step occurrences that keeps one participant's steps apart."""

    def __init__(self, owners: list[int]) -> None:
        self.parent = list(range(len(owners)))
        self.owners = [{o} for o in owners]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> bool:
        """Join two groups unless that puts two steps of one map together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.owners[ra] & self.owners[rb]:
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.owners[keep] |= self.owners[gone]
        return True


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
    conflicts: list[Conflict] = []
    groups = _match_steps(people, occurrences, threshold, list(matches), conflicts)
    canonical = _canonical_ids(occurrences, groups)
    top = {
        key: _most_common(getattr(p.process, attr) for p in people)
        for key, attr in (("process", "process"), ("name", "name"), ("level", "level"),
                          ("owner", "owner"), ("part-of", "part_of"), ("note", "note"))
    }
    if top["part-of"] is not None and top["part-of"] == top["process"]:
        top["part-of"] = None
    steps, seen_steps, seen_flows = _merge_steps(
        people, occurrences, canonical, top["process"], conflicts)
    actors, seen_actors = _merge_by_id(people, "actors", "kind", conflicts)
    outcomes, seen_outcomes = _merge_by_id(people, "outcomes", "for", conflicts)
    everyone = set(names)
    if len(names) < len(people):  # one participant's map given twice: no one missed anything
        for seen in (seen_steps, seen_flows, seen_actors, seen_outcomes):
            for key in seen:
                seen[key] = list(dict.fromkeys(seen[key]))
    for key in ("owner", "level"):
        given = {getattr(p.process, key) for p in people} - {None}
        if len(given) > 1:
            said = "; ".join(f"{p.name}: {getattr(p.process, key)}" for p in people
                             if getattr(p.process, key) is not None)
            conflicts.append(Conflict(key, top["process"], f"different {key}s ({said})"))
    data: dict[str, Any] = {"procmap": 1, **{k: v for k, v in top.items() if v is not None}}
    data.update(_other_fields(people, conflicts, top["process"]))
    if len({p.process.author for p in people}) == 1 and people[0].process.author:
        data["author"] = people[0].process.author
    data["actors"] = _annotate(actors, seen_actors, everyone)
    data["outcomes"] = _annotate(outcomes, seen_outcomes, everyone)
    data["steps"] = _annotate(steps, seen_steps, everyone)
    process = _without_closed_loops(data, seen_flows, conflicts)
    conflicts += _order_conflicts(seen_flows, process)
    matched: dict[str, dict[str, str]] = defaultdict(dict)
    for n, (i, sid) in enumerate(occurrences):
        matched[people[i].name][sid] = canonical[n]
    return MergeResult(
        process=process,
        participants=names,
        seen={"steps": seen_steps, "actors": seen_actors, "outcomes": seen_outcomes,
              "flows": {f"{a} → {b}": who for (a, b), who in seen_flows.items()}},
        conflicts=sorted(set(conflicts), key=lambda c: (c.kind, c.element, c.text)),
        matched=dict(matched),
    )


_TOP_MERGED = {"procmap", "process", "name", "level", "owner", "part_of", "note", "author",
               "actors", "outcomes", "steps"}


def _other_fields(people: list[Participant], conflicts: list[Conflict], process_id: str) -> dict[str, Any]:
    """The map's other fields (language, arrivals, calendar, …): the value most gave."""
    import json

    merged: dict[str, Any] = {}
    for name, info in Process.model_fields.items():
        if name in _TOP_MERGED:
            continue
        key = info.alias or name
        given = [(p, p.process.model_dump(mode="json", by_alias=True, include={name},
                                          exclude_defaults=True).get(key)) for p in people]
        texts = [None if v is None else json.dumps(v, sort_keys=True) for _, v in given]
        chosen = _most_common(texts)
        if chosen is None:
            continue
        merged[key] = json.loads(chosen)
        if len({t for t in texts if t is not None}) > 1:
            conflicts.append(Conflict(key, process_id, f"different {key} ({_said(given)})"))
    return merged


def _match_steps(
    people: list[Participant], occurrences: list[tuple[int, str]], threshold: float,
    matches: list[tuple[str, str]], conflicts: list[Conflict],
) -> _Groups:
    """Group the step occurrences: the facilitator's matches, then ids, then names."""
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    groups = _Groups([i for i, _ in occurrences])
    by_id: dict[str, list[int]] = defaultdict(list)
    for n, (_, sid) in enumerate(occurrences):
        by_id[sid].append(n)
    for a, b in matches:
        for x in by_id.get(a, ()):
            for y in by_id.get(b, ()):
                if not groups.join(x, y):
                    who = people[occurrences[x][0]].name
                    conflicts.append(Conflict(
                        "match", a, f"not matched to '{b}': {who} drew both as separate steps"))
    for members in by_id.values():
        for n in members[1:]:
            groups.join(members[0], n)
    # by name, within a lane, the most alike first
    lanes: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for n, (i, sid) in enumerate(occurrences):
        process = people[i].process
        name = normalise(process.step_title(sid), keep_digits=True)
        if name:
            lanes[process.steps[sid].actor][name].append(n)
    candidates: list[tuple[float, int, int]] = []
    for named in lanes.values():
        texts = list(named)
        for t in texts:
            candidates += [(100.0, x, y) for k, x in enumerate(named[t]) for y in named[t][k + 1:]]
        if len(texts) < 2:
            continue
        scores = cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
        for a, b in zip(*scores.nonzero(), strict=True):
            if a < b:
                candidates += [(float(scores[a, b]), min(x, y), max(x, y))
                               for x in named[texts[a]] for y in named[texts[b]]]
    for _, x, y in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if occurrences[x][0] != occurrences[y][0]:
            groups.join(x, y)
    return groups


def _canonical_ids(occurrences: list[tuple[int, str]], groups: _Groups) -> dict[int, str]:
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


def _said(versions: list[tuple[Participant, Any]], show=str) -> str:  # type: ignore[no-untyped-def]
    """``Ann: x; Bo: y`` for what each participant gave."""
    return "; ".join(f"{p.name}: {'–' if v is None else show(v)}" for p, v in versions)


def _show(value: Any) -> str:
    if hasattr(value, "total_seconds"):
        return describe_duration(value)
    if isinstance(value, float):
        return f"{value:.0%}"
    return str(getattr(value, "value", value))


def _merge_steps(
    people: list[Participant],
    occurrences: list[tuple[int, str]],
    canonical: dict[int, str],
    process_id: str,
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
        if len({s.actor for s in fields}) > 1:
            said = _said([(p, p.process.steps[sid].actor) for p, sid in versions])
            conflicts.append(Conflict("lane", cid, f"drawn in different lanes ({said})"))
        kinds = {s.kind for s in fields}
        if len(kinds) > 1:
            said = _said([(p, p.process.steps[sid].kind.value) for p, sid in versions])
            text = f"drawn as different kinds ({said})"
            if {StepKind.DECISION, StepKind.PARALLEL} <= kinds:
                text += ": is one way taken, or do they all run at once?"
            conflicts.append(Conflict("kind", cid, text))
        step: dict[str, Any] = {
            "name": _most_common(p.process.steps[sid].name for p, sid in versions),
            "actor": _most_common(s.actor for s in fields),
            "kind": _most_common(s.kind.value for s in fields),
        }
        for key in (*NUMBERS, "value", "calls", "rule", "note"):
            given = [(p, getattr(p.process.steps[sid], key)) for p, sid in versions]
            value = _most_common(v for _, v in given)
            if value is None:
                continue
            step[key] = value.value if key in ("channel", "value") else value
            if key in NUMBERS and len({v for _, v in given if v is not None}) > 1:
                conflicts.append(Conflict(key, cid, f"different {key}s ({_said(given, _show)})"))
        if step["kind"] != StepKind.SUBPROCESS.value or step.get("calls") == process_id:
            step.pop("calls", None)
        for key, attr in (("with", "with_"), ("delivers", "delivers")):
            union = list(dict.fromkeys(x for s in fields for x in getattr(s, attr)))
            if union:
                step[key] = union
        steps[cid] = step
    flows: dict[tuple[str, str], list[str]] = {}
    branches: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    numbers: dict[str, dict[str, dict[str, float | None]]] = defaultdict(dict)
    """Merged step → participant → merged branch label → the number they gave."""
    branch_sets: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for i, p in enumerate(people):
        for via, source, target, label, probability in _written_flows(p.process):
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
                    label = next((x for x, br in branches[a].items()
                                  if br["to"] == b and x.startswith(f"{label} (")),
                                 f"{label} ({p.name})")
                branches[a].setdefault(label, {"to": b})
                numbers[a].setdefault(p.name, {})[label] = probability
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
        if cid not in branches:
            if step["kind"] == StepKind.DECISION.value:
                step["kind"] = StepKind.TASK.value  # nobody drew its branches
            continue
        if step["kind"] != StepKind.DECISION.value:  # most drew no choice here: all ways run
            listed = step.setdefault("then", [])
            listed += [b["to"] for b in branches[cid].values() if b["to"] not in listed]
            continue
        shares = _mean_shares(list(branches[cid]), numbers[cid])
        step["branches"] = {
            label: b["to"] if shares.get(label) is None else {**b, "probability": shares[label]}
            for label, b in branches[cid].items()
        }
        given = any(v is not None for n in numbers[cid].values() for v in n.values())
        if given and len({tuple(sorted(n.items())) for n in numbers[cid].values()}) > 1:
            said = "; ".join(
                f"{who}: " + ", ".join(f"{label} {'?' if v is None else f'{v:.0%}'}"
                                       for label, v in n.items())
                for who, n in numbers[cid].items()
            )
            merged = ", ".join(f"{label} {v:.0%}" for label, v in shares.items() if v is not None)
            conflicts.append(Conflict(
                "probabilities", cid,
                f"different branch probabilities ({said}); merged as their mean: {merged}"))
    return steps, seen, flows


def _mean_shares(labels: list[str], numbers: dict[str, dict[str, float | None]]) -> dict[str, float | None]:
    """Each branch's probability: the mean of the participants who gave numbers.

    A participant's numbers are read as the analyses read them: their branches
    without a number share what is left, scaled so their shares add up to 1; the
    branches they did not draw count 0. A branch nobody gave a number for gets
    none; numbers everyone gave alike stay as they are.
    """
    explicit = [{label: v for label, v in given.items() if v is not None}
                for given in numbers.values()]
    explicit = [e for e in explicit if e]
    if explicit and all(e == explicit[0] for e in explicit):
        return dict(explicit[0])
    vectors = []
    for given in numbers.values():
        known = {label: v for label, v in given.items() if v is not None}
        if not known:
            continue
        unknown = [label for label, v in given.items() if v is None]
        rest = max(0.0, 1.0 - sum(known.values()))
        shares = {**known, **{label: rest / len(unknown) for label in unknown}}
        total = sum(shares.values())
        if abs(total - 1.0) > 1e-9 and total > 0:
            shares = {label: v / total for label, v in shares.items()}
        if total > 0:
            vectors.append(shares)
    counted = [label for label in labels if any(label in e for e in explicit)]
    mean: dict[str, float | None] = {}
    exact: dict[str, float] = {}
    for label in counted:
        values = [v.get(label, 0.0) for v in vectors]
        exact[label] = sum(values) / len(values)
        # the same number from everyone stays that number; a mean is rounded to 6 places
        mean[label] = values[0] if len(set(values)) == 1 else round(exact[label], 6)
    if exact:
        # rounding must not break the total: what it took or added goes to the largest share
        drift = round(sum(exact.values()), 6) - sum(v for v in mean.values() if v is not None)
        largest = max(exact, key=exact.__getitem__)
        mean[largest] = round((mean[largest] or 0.0) + drift, 9)
    return mean


def _written_flows(process: Process) -> Iterable[tuple[str, str, str, str, float | None]]:
    """Every flow as the map wrote it: (via, source, target, branch label, probability)."""
    for sid, step in process.steps.items():
        for label, branch in step.branches.items():
            yield "branch", sid, branch.to, label, branch.probability
        for target in step.then:
            yield "then", sid, target, "", None
        for source in step.needs:
            yield "needs", source, sid, "", None


def _without_closed_loops(
    data: dict[str, Any], seen: dict[tuple[str, str], list[str]], conflicts: list[Conflict]
) -> Process:
    """The merged map, with the flows fewest drew left out of loops that no flow leaves."""
    while True:
        process = Process.model_validate(data)
        problem = next(endless_loops(process), None)
        if problem is None:
            return process
        loop = next(c for c in process.graph.closed_loops() if problem.path[1] in c)
        inside = [(f.source, f.target) for f in process.flows
                  if f.source in loop and f.target in loop]
        a, b = min(inside, key=lambda f: (len(seen[f]), f))
        conflicts.append(Conflict(
            "loop", a,
            f"'{process.step_title(a)}' → '{process.step_title(b)}' left out "
            f"(drawn by {', '.join(seen[(a, b)])}): with it "
            f"{', '.join(sorted(loop))} would loop with no way out",
        ))
        _drop_flow(data["steps"], a, b)


def _drop_flow(steps: dict[str, dict[str, Any]], a: str, b: str) -> None:
    source, target = steps[a], steps[b]
    for holder, key, other in ((source, "then", b), (target, "needs", a)):
        if other in holder.get(key, []):
            holder[key] = [x for x in holder[key] if x != other]
            if not holder[key]:
                del holder[key]
    if "branches" in source:
        kept = {label: br for label, br in source["branches"].items()
                if (br if isinstance(br, str) else br["to"]) != b}
        if kept:
            given = [br["probability"] for br in kept.values() if isinstance(br, dict)]
            total = sum(given)
            for label, br in kept.items():
                if isinstance(br, dict):
                    kept[label] = ({**br, "probability": round(br["probability"] / total, 4)}
                                   if total > 0 else br["to"])
            source["branches"] = kept
        else:
            del source["branches"]
            source["kind"] = StepKind.TASK.value


def _merge_by_id(
    people: list[Participant], collection: str, key: str, conflicts: list[Conflict]
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Actors or outcomes, matched by id, with the ``key`` (kind, for) most participants gave."""
    versions: dict[str, list[tuple[Participant, dict[str, Any]]]] = defaultdict(list)
    for p in people:
        for eid, element in getattr(p.process, collection).items():
            versions[eid].append((p, element.model_dump(
                by_alias=True, exclude_defaults=True, mode="json", exclude={"seen_by"})))
    merged: dict[str, dict[str, Any]] = {}
    seen: dict[str, list[str]] = {}
    for eid, drawn in versions.items():
        seen[eid] = [p.name for p, _ in drawn]
        merged[eid] = dict(drawn[0][1])
        given = [(p, data.get(key)) for p, data in drawn]
        if len({v for _, v in given}) > 1:
            chosen = _most_common(v for _, v in given)
            if chosen is None:
                merged[eid].pop(key, None)
            else:
                merged[eid][key] = chosen
            conflicts.append(Conflict(collection[:-1], eid, f"different {key}s ({_said(given)})"))
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
