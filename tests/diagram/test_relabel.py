"""A layout reused for a map renamed while it is typed is the layout the map gets afresh."""

from __future__ import annotations

import pytest

import procmap
from procmap.layout import layout, relabel
from tests.diagram.maps import load_input

MAPS = ["examples/customer-onboarding.yaml", "examples/lead-to-cash.yaml", "fork-join", "generated-20"]


def renamed(process: procmap.Process, sid: str, name: str | None) -> procmap.Process:
    steps = dict(process.steps)
    steps[sid] = steps[sid].model_copy(update={"name": name})
    return process.model_copy(update={"steps": steps})


def names(old: str | None) -> list[str | None]:
    """What typing does to a name: a key added, a word added, a key taken away, the name
    cleared, a long text."""
    old = old or ""
    return [old + "x", old + "xy", f"{old} and one more", old[:-1], None,
            "Check the customer's documents against the list the regulator publishes"]


@pytest.mark.parametrize("name", MAPS)
def test_a_reused_layout_is_the_fresh_layout_number_for_number(name: str) -> None:
    process = load_input(name)
    before = layout(process)
    reused = relettered = 0
    for sid, step in process.steps.items():
        for new in names(step.name):
            after = renamed(process, sid, new)
            again = relabel(before, process, after)
            if again is not None:
                reused += 1
                assert again == layout(after), (sid, new)
                relettered += again.nodes[sid].label_lines != before.nodes[sid].label_lines
    assert reused >= len(process.steps)  # a key typed into a name mostly keeps the shape
    assert relettered >= len(process.steps) / 2


def test_a_change_other_than_a_name_is_laid_out_afresh() -> None:
    process = load_input("examples/customer-onboarding.yaml")
    before = layout(process)
    sid, step = next((s, st) for s, st in process.steps.items() if st.kind.value == "task")
    other_actor = next(a for a in process.actors if a != step.actor)
    steps = dict(process.steps)
    steps[sid] = step.model_copy(update={"actor": other_actor})
    assert relabel(before, process, process.model_copy(update={"steps": steps})) is None
    assert relabel(before, process, process.model_copy(update={"name": "Another title"})) is None
    steps = {k: v for k, v in process.steps.items() if k != sid}
    assert relabel(before, process, process.model_copy(update={"steps": steps})) is None
    assert relabel(before, process, process) == before
