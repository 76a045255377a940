"""Answers the backwards builder's questions from an existing map (for tests and the example).

It plays the workshop: asked what an outcome or a step needs, it names what the
map shows, in the builder's own order, so that the answers it gives, replayed,
rebuild the map's outcomes, steps, lanes and edges.
"""

from __future__ import annotations

import re

from procmap.model.process import OutcomeFor, Process


def oracle(process: Process):  # type: ignore[no-untyped-def]
    """An ``ask`` function that answers from ``process``, and the list of its answers."""
    given: list[str] = []
    pending: dict[str, list[str]] = {}
    graph = process.graph

    def named(sid: str) -> str:
        step = process.steps[sid]
        return f"{sid}: {step.name}" if step.name else sid

    def next_of(key: str, items: list[str]) -> str:
        queue = pending.setdefault(key, list(items))
        return queue.pop(0) if queue else ""

    def ask(question: str, names: list[str]) -> str:
        answer = _answer(question)
        given.append(answer)
        return answer

    def _answer(q: str) -> str:
        if q == "Process id?":
            return process.process
        if q == "Name of the process?":
            return process.name or ""
        if q == "Which one team owns it?":
            return process.owner or ""
        if q.startswith("Level"):
            return str(process.level or "")
        if q.startswith("What should the customer"):
            return next_of("customer", [f"{o}: {x.name}" for o, x in process.outcomes.items()
                                        if x.for_ is OutcomeFor.CUSTOMER])
        if q.startswith("What should the business"):
            return next_of("business", [f"{o}: {x.name}" for o, x in process.outcomes.items()
                                        if x.for_ is OutcomeFor.BUSINESS])
        m = re.match(r"What (?:do you need to make|else makes) '(.*)' happen\?", q)
        if m:
            oid = next(o for o, x in process.outcomes.items() if x.name == m.group(1))
            return next_of(f"outcome {oid}", [named(s) for s in graph.delivering(oid)])
        m = re.match(r"What (?:do you need|else do you need) before '(.*)'\?", q)
        if m:
            sid = next(s for s in process.steps if (process.steps[s].name or s) == m.group(1))
            preds = [named(p) for p in graph.predecessors(sid)]
            if q.startswith("What do you need") and not preds:
                return "nothing"
            return next_of(f"needs {sid}", preds)
        m = re.match(r"Who does '(.*)'\?", q)
        if m:
            sid = next(s for s in process.steps if (process.steps[s].name or s) == m.group(1))
            actor = process.steps[sid].actor
            name = process.actors[actor].name
            return f"{actor}: {name}" if name else actor
        m = re.match(r"What kind of actor is '(.*)'\?", q)
        if m:
            return next(a.kind.value for i, a in process.actors.items()
                        if m.group(1) in (i, a.name))
        m = re.match(r"Is '(.*)' the event that starts a case", q)
        if m:
            sid = next(s for s in process.steps if (process.steps[s].name or s) == m.group(1))
            return "yes" if process.steps[sid].kind.value == "start" else "no"
        if q.startswith("How does the process end?"):
            ends = [s for s, step in process.steps.items() if step.kind.value == "end"]
            return named(ends[0]) if ends else ""
        raise AssertionError(f"unexpected question: {q}")

    return ask, given
