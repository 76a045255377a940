"""The backwards builder (seed 000): a map built by asking "what do you need?".

First the process and its outcomes, customer outcomes first; then, for each
outcome, "What do you need to make it happen?", and for each step named,
"What do you need before it?", until the answer is "nothing, it starts here".
Last, how the process ends. Steps already named are offered at every question
(their names and ids, for completion), and an answer that is exactly the name
of a step already drawn (case aside) is that step, so shared needs are linked
rather than drawn twice.

Every answer goes through one ``ask`` function, so the same questions are put
by a person at a terminal or by an answers file. At any question:

* ``back`` undoes the last answer (right after a rename: only the rename);
* ``rename OLD NEW`` renames a step id everywhere, once confirmed;
* ``stop`` saves the map as it is: run the builder again on the same file to
  go on where it stopped (the open questions follow from the map itself:
  outcomes no step delivers, steps whose needs were not asked yet).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from procmap.model.names import slug
from procmap.model.process import Process

NOTHING = {"", "nothing", "none", "-", "it starts here", "nothing, it starts here"}
KINDS = ("customer", "team", "system", "partner")

Ask = Callable[[str, list[str]], str]
"""Put a question (with the names to complete) and return the answer."""
Tell = Callable[[str], None]
"""Say something that needs no answer."""
ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:-]*")
YES = {"y", "yes"}


class Stop(Exception):
    """The user said ``stop``: save what there is."""


def _id_from(text: str) -> str:
    """A step or outcome id from words: ``Send the invite`` → ``send-the-invite``."""
    return slug(text) or "step"



def split_answer(answer: str) -> tuple[str, str | None]:
    """``id: Name`` → (id, Name); ``Name`` → (its slug, Name); ``id`` → (id, None)."""
    if ":" in answer:
        key, _, name = answer.partition(":")
        return key.strip(), name.strip() or None
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", answer):
        return answer, None
    return _id_from(answer), answer.strip()


@dataclass
class State:
    """The map being built and the questions still open."""

    data: dict[str, Any]
    queue: list[tuple[str, str]] = field(default_factory=list)
    """Open questions: ("outcome", id) or ("needs", step id) or ("end", "")."""
    end_asked: bool = False


class Builder:
    """Asks the backwards questions and builds the map's data."""

    def __init__(self, ask: Ask, start: Process | None = None, tell: Tell | None = None) -> None:
        self.ask_user = ask
        self.tell = tell or (lambda text: None)
        self.history: list[State] = []
        self.answered = 0  # answers given since the current question group began
        self.renamed: tuple[str, str] | None = None  # the rename that ``back`` undoes first
        if start is None:
            self.state = State({"procmap": 1, "actors": {}, "outcomes": {}, "steps": {}})
            self.fresh = True
        else:
            data = start.model_dump(by_alias=True, exclude_defaults=True, mode="json")
            for key in ("actors", "outcomes", "steps"):
                data.setdefault(key, {})
            ended = any(step.kind.value == "end" for step in start.steps.values())
            self.state = State(data, _open_questions(start), end_asked=ended)
            self.fresh = False

    # -- asking -------------------------------------------------------------------------

    def ask(self, question: str) -> str:
        """Ask; handle ``back``, ``rename`` and ``stop``; return a plain answer."""
        while True:
            answer = self.ask_user(question, self.completions()).strip()
            if answer == "stop":
                raise Stop
            if answer == "back" and self.renamed is not None:
                old, new = self.renamed
                self._rename_step(new, old)
                self.renamed = None
                self.tell(f"back: '{new}' is '{old}' again")
                continue
            if answer == "back":
                if not self.history:
                    continue
                current = self.history.pop()  # the state before this question group
                if self.answered == 0 and self.history:
                    current = self.history.pop()  # nothing answered here yet: the group before
                self.state = current
                raise _Back
            if answer.startswith("rename "):
                self._rename(*answer.split()[1:])
                continue
            self.answered += 1
            self.renamed = None
            return answer

    def completions(self) -> list[str]:
        """What completes an answer: the names of the steps drawn, then their ids."""
        steps = self.state.data["steps"]
        names = [step["name"] for step in steps.values() if step.get("name")]
        return list(dict.fromkeys([*names, *steps]))

    def _checkpoint(self) -> None:
        self.history.append(copy.deepcopy(self.state))
        self.answered = 0

    # -- the questions ------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Ask until no question is open (or the user stops); return the map's data."""
        if self.fresh:
            self._process_questions()
        while True:
            if not self.state.queue:
                if self.state.end_asked:
                    break
                self.state.end_asked = True  # how it ends is asked last
                self.state.queue.append(("end", ""))
            try:
                kind, key = self.state.queue[0]
                self._checkpoint()
                self.state.queue.pop(0)
                if kind == "outcome":
                    self._outcome(key)
                elif kind == "needs":
                    self._needs(key)
                else:
                    self._end()
            except _Back:
                continue
        return self.state.data

    def _process_questions(self) -> None:
        data = self.state.data
        data["process"] = _id_from(self.ask("Process id?"))
        data["name"] = self.ask("Name of the process?") or None
        data["owner"] = self.ask("Which one team owns it?") or None
        level = self.ask("Level (1-4)?")
        data["level"] = int(level) if level.isdigit() else None
        for who, question in (
            ("customer", "What should the customer have, know or feel at the end? (empty: no more)"),
            ("business", "What should the business have at the end? (empty: no more)"),
        ):
            while answer := self.ask(question):
                oid, name = split_answer(answer)
                data["outcomes"][oid] = {"name": name or oid, **({"for": who} if who == "business" else {})}
                self.state.queue.append(("outcome", oid))

    def _outcome(self, oid: str) -> None:
        name = self.state.data["outcomes"][oid]["name"]
        answer = self.ask(f"What do you need to make '{name}' happen?")
        while answer.lower() not in NOTHING:
            sid = self._step(answer)
            delivers = self.state.data["steps"][sid].setdefault("delivers", [])
            if oid not in delivers:
                delivers.append(oid)
            answer = self.ask(f"What else makes '{name}' happen? (empty: nothing more)")

    def _needs(self, sid: str) -> None:
        step = self.state.data["steps"][sid]
        title = step.get("name") or sid
        answer = self.ask(f"What do you need before '{title}'? (nothing: it starts here)")
        if answer.lower() in NOTHING:
            # nothing before it: the step begins a case. It is a start event only
            # when it is the trigger itself and no work (DESIGN §2, work and events)
            if not step.get("needs") and self.ask(
                f"Is '{title}' the event that starts a case, with no work in it? "
                "(yes: a start event; no: the first work, a case begins with it)"
            ).strip().lower() in YES:
                step["kind"] = "start"
            return
        while answer.lower() not in NOTHING:
            need = self._step(answer)
            needs = step.setdefault("needs", [])
            if need == sid or step is self.state.data["steps"].get(need):
                self.tell(f"'{title}' cannot need itself")
            elif need not in needs:
                needs.append(need)
            answer = self.ask(f"What else do you need before '{title}'? (empty: nothing more)")

    def _end(self) -> None:
        answer = self.ask(
            "How does the process end? (the result that closes a case, an event with no work "
            "in it, e.g. 'Customer onboarded'; empty: a case ends where its last steps end)"
        )
        if answer.lower() in NOTHING:
            return
        sid = self._step(answer, queue=True)
        self.state.data["steps"][sid]["kind"] = "end"

    def _step(self, answer: str, *, queue: bool = True) -> str:
        """The step an answer names: an existing one, or a new one with its actor."""
        steps = self.state.data["steps"]
        same = [k for k, step in steps.items()
                if (step.get("name") or "").casefold() == answer.casefold()]
        if same:
            return same[0]  # the name of a step already drawn: that step
        sid, name = split_answer(answer)
        if sid in steps:
            return sid
        actor_id, actor_name = split_answer(self.ask(f"Who does '{name or sid}'?"))
        actors = self.state.data["actors"]
        if actor_id not in actors:
            kind = ""
            while kind not in KINDS:
                kind = self.ask(
                    f"What kind of actor is '{actor_name or actor_id}'? (customer, team, system, partner)"
                )
            actors[actor_id] = {"kind": kind, **({"name": actor_name} if actor_name else {})}
        steps[sid] = {**({"name": name} if name else {}), "actor": actor_id}
        if queue:
            self.state.queue.append(("needs", sid))
        return sid

    def _rename(self, old: str | None = None, new: str | None = None, *rest: str) -> None:
        """``rename OLD NEW``: rename a step id everywhere, once the user confirms."""
        steps = self.state.data["steps"]
        if not old or not new or rest:
            self.tell("say: rename OLD-ID NEW-ID")
        elif old not in steps:
            self.tell(f"there is no step '{old}' to rename")
        elif new in steps:
            self.tell(f"there is a step '{new}' already")
        elif not ID.fullmatch(new):
            self.tell(f"'{new}' is no id: letters, digits and - _ . : only, no spaces")
        elif self.ask_user(f"Rename step '{old}' to '{new}' everywhere? (yes/no)", []).strip().lower() in YES:
            self._rename_step(old, new)
            self.renamed = (old, new)
            self.tell(f"renamed '{old}' to '{new}' (back: undo)")

    def _rename_step(self, old: str, new: str) -> None:
        steps = self.state.data["steps"]
        self.state.data["steps"] = {new if k == old else k: v for k, v in steps.items()}
        for step in self.state.data["steps"].values():
            for key in ("needs", "then"):
                if key in step:
                    step[key] = [new if s == old else s for s in step[key]]
            for label, branch in step.get("branches", {}).items():
                if branch == old:
                    step["branches"][label] = new
                elif isinstance(branch, dict) and branch.get("to") == old:
                    branch["to"] = new
        self.state.queue = [(k, new if v == old else v) for k, v in self.state.queue]


class _Back(Exception):
    """Raised by ``back`` to put the previous question again."""


def _open_questions(process: Process) -> list[tuple[str, str]]:
    graph = process.graph
    queue: list[tuple[str, str]] = [
        ("outcome", oid) for oid in process.outcomes if not graph.delivering(oid)
    ]
    queue += [
        ("needs", sid)
        for sid, step in process.steps.items()
        if step.kind.value not in ("start",) and not graph.predecessors(sid)
    ]
    return queue


def to_process(data: dict[str, Any]) -> Process:
    """The built data as a map (fields left empty are dropped)."""
    clean = {k: v for k, v in data.items() if v is not None}
    return Process.model_validate(clean)
