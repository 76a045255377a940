"""MAP007 event-does-work: a start or end event that carries work."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.durations import describe_duration
from procmap.model.process import EVENTS, Process, Step, StepKind
from procmap.rules.base import Context, Rule


class EventDoesWork(Rule):
    """A start or end event carries work: it should be a task.

    Why: Well-formedness (BPMN practice, DESIGN §2): `kind: start` and
    `kind: end` are events, the trigger that opens a case and the result that
    closes it; they take no work time, are drawn as circles and exported as
    BPMN events, so the work in them vanishes from the diagram, the BPMN file
    and the cycle time. An event carries work when it has a `duration` (work
    time), or when others take part in it (`with`: a call, a meeting, a
    conversation on a channel). A `channel` alone (how the trigger arrives), a
    `wait` before it and the outcomes an end event `delivers` are no work.

    Example:
        steps:
          kickoff-call:
            kind: start
            actor: success
            with: [customer]
            channel: phone
            duration: 30m

    Fix: make it a task (drop `kind`), and if the trigger or the result matters,
    add an event before or after it ("Customer signs up", "Customer has the
    money").
    """

    id = "MAP007"
    name = "event-does-work"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for sid, step in process.steps.items():
            if step.kind not in EVENTS:
                continue
            work = _work(process, step)
            if not work:
                continue
            start = step.kind is StepKind.START
            event = "Start event" if start else "End event"
            add = "a start event before it for the trigger" if start else (
                "an end event after it for the result")
            yield self.finding(
                f"{event} '{process.step_title(sid)}' does work ({work}): an event only marks "
                f"where a case {'begins' if start else 'ends'}",
                elements=(sid,),
                suggestion=Suggestion.split(
                    f"Make it a task (drop kind: {step.kind.value}), and add {add} if it matters"
                ),
            )


def _work(process: Process, step: Step) -> str:
    """What work the event carries, in words; empty when none."""
    said = []
    if step.duration:
        said.append(f"it takes {describe_duration(step.duration)}")
    if step.with_:
        others = " and ".join(process.actor_title(a) for a in step.with_)
        how = f" by {step.channel.value}" if step.channel else ""
        said.append(f"{others} take{'s' if len(step.with_) == 1 else ''} part{how}")
    return "; ".join(said)
