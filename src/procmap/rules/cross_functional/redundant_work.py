"""XF003 redundant-work: the same work done in two places."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule

STOP_WORDS = frozenset(
    ["a", "an", "the", "of", "for", "to", "and", "or", "in", "on", "at", "by", "with", "from", "into", "our", "their", "its", "his", "her", "it", "is", "be", "all", "any", "new"]
)
SYNONYMS = {
    **dict.fromkeys(["enter", "capture", "record", "input", "key", "register", "log", "type", "rekey", "re-key"], "enter"),
    **dict.fromkeys(["details", "data", "information", "info", "particulars"], "details"),
    **dict.fromkeys(["check", "verify", "validate", "review"], "check"),
    **dict.fromkeys(["send", "email", "mail", "e-mail"], "send"),
    **dict.fromkeys(["client", "customer", "customers", "clients"], "customer"),
    **dict.fromkeys(["create", "open", "set-up", "setup"], "create"),
    **dict.fromkeys(["update", "change", "amend", "edit"], "update"),
}
MAX_LISTED = 20


@dataclass(frozen=True)
class _Entry:
    process: str
    step: str
    actor: str
    title: str
    actor_title: str


def normalise(name: str, *, keep_digits: bool = False) -> str:
    """Lower case, no punctuation (nor digits), no stop words, synonyms merged, sorted."""
    pattern = r"[a-z0-9][a-z0-9-]*" if keep_digits else r"[a-z][a-z-]*"
    words = re.findall(pattern, name.lower())
    tokens = {SYNONYMS.get(w, SYNONYMS.get(w.rstrip("s"), w.rstrip("s") if len(w) > 3 else w))
              for w in words if w not in STOP_WORDS}
    return " ".join(sorted(tokens))


class RedundantWork(Rule):
    """The same work is done by different actors or in different processes.

    Why: Visual Workflow (seed 002): "you will also likely find redundant work
    processes from department to department". Steps whose names mean the same
    ("Enter customer details" in Sales, "Capture customer details" in Customer
    Service) are compared across every map checked together: names are
    normalised (case, digits, stop words, synonyms such as enter/capture/record)
    and then matched by similarity (`thresholds.similarity`, 85 of 100). Only
    tasks and subprocesses of two or more words count.

    Example:
        steps:
          enter-customer-details: {actor: sales}
          capture-customer-details: {actor: service}

    Fix: do the work once, in one place, and share the result (one record both
    departments read).
    """

    id = "XF003"
    name = "redundant-work"
    default_severity = Severity.WARNING

    def check_catalog(self, processes: dict[str, Process], ctx: Context) -> Iterator[Finding]:
        groups: dict[str, list[_Entry]] = defaultdict(list)
        for process in processes.values():
            for sid, step in process.steps.items():
                if step.kind not in (StepKind.TASK, StepKind.SUBPROCESS):
                    continue
                title = process.step_title(sid)
                key = normalise(title)
                if " " not in key:
                    continue
                groups[key].append(
                    _Entry(process.process, sid, step.actor, title, process.actor_title(step.actor))
                )
        for cluster in _clusters(list(groups), ctx.config.thresholds.similarity):
            entries = [e for key in cluster for e in groups[key]]
            if len({e.actor for e in entries}) < 2 and len({e.process for e in entries}) < 2:
                continue
            yield self._finding(entries)

    def _finding(self, entries: list[_Entry]) -> Finding:
        first = entries[0]
        other = next(
            (e for e in entries[1:] if (e.actor, e.process) != (first.actor, first.process)),
            entries[1],
        )
        where = f" in process '{other.process}'" if other.process != first.process else ""
        more = len(entries) - 2
        tail = f", and in {more} more place{'s' if more != 1 else ''}" if more > 0 else ""
        listed = [first, other, *[e for e in entries if e not in (first, other)]][:MAX_LISTED]
        return self.finding(
            f"'{first.title}' ({first.actor_title}) is also done as '{other.title}' "
            f"({other.actor_title}){where}{tail}",
            elements=tuple(e.step for e in listed),
            process=first.process,
            suggestion=Suggestion.merge(
                "Do this work once and let the other department use the result"
            ),
            data={"places": len(entries),
                  "processes": ",".join(sorted({e.process for e in entries}))},
        )


def _clusters(keys: list[str], threshold: float) -> list[list[str]]:
    """Keys grouped by similarity, without comparing all pairs.

    Keys are compared only within blocks that share a word that is not common
    (in at most 2% of the keys, and never fewer than 200): an inverted index
    keeps the work near-linear in the number of distinct names.
    """
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for word in key.split():
            index[word].append(i)
    limit = max(200, len(keys) // 50)
    for members in index.values():
        if len(members) < 2 or len(members) > limit:
            continue
        block = [keys[i] for i in members]
        scores = cdist(block, block, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
        for a, b in zip(*scores.nonzero(), strict=True):
            if a < b:
                parent[find(members[a])] = find(members[b])
    clusters: dict[int, list[str]] = defaultdict(list)
    for i, key in enumerate(keys):
        clusters[find(i)].append(key)
    return list(clusters.values())
