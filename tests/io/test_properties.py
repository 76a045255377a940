"""Property-based tests: random valid maps load; random corruptions never crash.

A valid map is built from random actors, outcomes and steps with random kinds,
edges written as `needs`, `then` or `branches` (forwards only, so no loop is
endless), durations and probabilities. It is written with procmap.dumps and
must load back equal. A corruption is a random edit of such a text: loading it
either succeeds or raises LoadError whose every error is located; nothing else.
"""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import procmap
from procmap.model.process import Process

IDS = st.text(alphabet=string.ascii_lowercase + "-", min_size=1, max_size=8).filter(
    lambda s: not s.startswith("-")
)
NAMES = st.text(
    alphabet=string.ascii_letters + string.digits + " ,:'#&-{}[]éü", min_size=1, max_size=20
).filter(lambda s: s.strip() == s and s)
DURATIONS = st.sampled_from(["5m", "15m", "1h", "2h30m", "1d", "3d", "1w"])


@st.composite
def valid_maps(draw) -> Process:
    actor_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    kinds = ["customer", "team", "system", "partner"]
    actors = {a: {"kind": draw(st.sampled_from(kinds)), **({"name": draw(NAMES)} if draw(st.booleans()) else {})}
              for a in actor_ids}
    outcome_ids = draw(st.lists(IDS, max_size=3, unique=True))
    outcomes = {o: {"name": draw(NAMES), "for": draw(st.sampled_from(["customer", "business"]))}
                for o in outcome_ids}
    step_ids = draw(st.lists(IDS, min_size=1, max_size=12, unique=True))
    steps: dict[str, dict] = {}
    for i, sid in enumerate(step_ids):
        later = step_ids[i + 1:]
        earlier = step_ids[:i]
        step: dict = {"actor": draw(st.sampled_from(actor_ids))}
        if draw(st.booleans()):
            step["name"] = draw(NAMES)
        if later and draw(st.integers(0, 3)) == 0:
            targets = draw(st.lists(st.sampled_from(later), min_size=1, max_size=3, unique=True))
            step["kind"] = "decision"
            step["branches"] = {f"option-{n}": t for n, t in enumerate(targets)}
        else:
            step["kind"] = draw(st.sampled_from(["task", "start", "end", "wait", "subprocess"]))
            if later and draw(st.booleans()):
                step["then"] = draw(st.lists(st.sampled_from(later), max_size=2, unique=True))
        if earlier and draw(st.booleans()):
            step["needs"] = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
        if outcome_ids and draw(st.booleans()):
            step["delivers"] = draw(st.lists(st.sampled_from(outcome_ids), max_size=2, unique=True))
        for key in ("duration", "wait"):
            if draw(st.booleans()):
                step[key] = draw(DURATIONS)
        if draw(st.booleans()):
            step["fails"] = draw(st.floats(0, 1, allow_nan=False))
        steps[sid] = step
    data = {"procmap": 1, "process": draw(IDS), "steps": steps, "actors": actors,
            "outcomes": outcomes, "level": draw(st.sampled_from([None, 1, 2, 3, 4]))}
    return Process.model_validate(data)


@settings(max_examples=150, deadline=None)
@given(valid_maps())
def test_valid_maps_load_back_equal(process: Process) -> None:
    assert procmap.loads(procmap.dumps(process)) == process


def _corrupt(text: str, edit: int, where: int, char: str) -> str:
    lines = text.splitlines(keepends=True)
    i = where % len(lines)
    if edit == 0:
        del lines[i]
    elif edit == 1:
        lines.insert(i, lines[i])
    elif edit == 2:
        line = lines[i]
        j = where % max(1, len(line))
        lines[i] = line[:j] + char + line[j + 1:]
    elif edit == 3:
        lines[i] = "  " + lines[i]
    elif edit == 4:
        lines[i] = "\t" + lines[i].lstrip(" ")
    elif edit == 5:
        return "".join(lines)[: where % max(1, len(text))]
    elif edit == 6:
        key, _, _ = lines[i].partition(":")
        lines[i] = f"{key}: {char}{char}garbage\n"
    elif edit == 7:
        lines[i] = lines[i].replace("-", char)
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_maps(), st.integers(0, 7), st.integers(0, 10_000),
       st.sampled_from(list(":-[]{}#&*!|>'\"% \n@`x1é")))
def test_corrupted_maps_give_located_errors_or_load(process, edit, where, char) -> None:
    text = _corrupt(procmap.dumps(process), edit, where, char)
    try:
        procmap.loads(text, file="wall.yaml")
    except procmap.LoadError as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.location is not None and error.location.file == "wall.yaml"
            assert error.location.line >= 1, error.message
            assert error.message.startswith("wall.yaml:")


def test_dumps_is_readable_yaml_for_other_tools() -> None:
    text = procmap.dumps(procmap.loads(
        "procmap: 1\nprocess: p\nactors: {s: {kind: team}}\nsteps:\n  a: {actor: s, kind: decision, branches: {yes: b, no: b}}\n  b: {actor: s}\n"))
    data = yaml.safe_load(text)
    assert data["steps"]["a"]["branches"] == {"yes": "b", "no": "b"}
