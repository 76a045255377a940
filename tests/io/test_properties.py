"""Property-based tests: random valid maps load; random corruptions never crash.

A valid map is built from random actors of each kind, outcomes and steps of every
kind, with edges written as `needs`, `then` or `branches` (forwards, plus loops back
from decisions that also have a way forward, so no loop is endless), durations,
probabilities and the other fields of the format. Written with procmap.dumps it
must load back equal and pass the JSON Schema. A corruption is a random edit of
such a text: loading it either succeeds or raises LoadError whose every error is
located in the file; nothing else may escape.
"""

from __future__ import annotations

import string
from datetime import timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import procmap
from procmap.model.durations import format_duration
from procmap.model.process import Channel, Process, Value
from tests.io.test_schema import as_data, validator

FIRST = string.ascii_letters + string.digits + "_"
IDS = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(FIRST),
    st.text(alphabet=FIRST + ".:-", max_size=8),
) | st.sampled_from(["yes", "no", "on", "off", "null", "true", "1", "1.5", "0x1", "1e3", "y"])
NAMES = st.text(
    alphabet=string.ascii_letters + string.digits + " ,:'\"#&*!|>%@`-{}[]éü🙂", min_size=1, max_size=20
).filter(lambda s: s.strip() == s)
LABELS = st.text(alphabet=string.ascii_letters + string.digits + " -:?", min_size=1, max_size=10)
DURATIONS = st.one_of(
    st.sampled_from(["15m", "2h30m", "1d", "3 days", "1.5h", "0.5s"]),
    st.integers(1, 10**9).map(lambda s: format_duration(timedelta(seconds=s))),
)
PROBABILITIES = st.floats(0, 1, allow_nan=False)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def maybe(draw, data: dict, key: str, strategy) -> None:
    """Set ``data[key]`` to a drawn value, or leave it out."""
    if draw(st.booleans()):
        data[key] = draw(strategy)


def split_one(draw, n: int) -> list[float]:
    """``n`` probabilities that add up to 1."""
    weights = draw(st.lists(st.integers(1, 100), min_size=n, max_size=n))
    return [w / sum(weights) for w in weights]


@st.composite
def valid_maps(draw, *, seen_by: bool = False) -> Process:
    """A random valid map; ``seen_by`` adds the merge's seen-by lists too."""
    process_id = draw(IDS)
    actor_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    actors = {}
    for aid in actor_ids:
        actor = {"kind": draw(st.sampled_from(["customer", "team", "system", "partner"]))}
        maybe(draw, actor, "name", NAMES)
        if seen_by:
            maybe(draw, actor, "seen-by", st.lists(NAMES, max_size=2))
        actors[aid] = actor
    outcome_ids = draw(st.lists(IDS, max_size=3, unique=True))
    outcomes = {}
    for oid in outcome_ids:
        outcome = {"name": draw(NAMES)}
        maybe(draw, outcome, "for", st.sampled_from(["customer", "business"]))
        maybe(draw, outcome, "note", NAMES)
        outcomes[oid] = outcome
    step_ids = draw(st.lists(IDS, min_size=1, max_size=12, unique=True))
    steps: dict[str, dict] = {}
    for i, sid in enumerate(step_ids):
        earlier, later = step_ids[:i], step_ids[i + 1 :]
        step: dict = {"actor": draw(st.sampled_from(actor_ids))}
        maybe(draw, step, "name", NAMES)
        if later and draw(st.integers(0, 3)) == 0:
            step["kind"] = "decision"
            targets = draw(st.lists(st.sampled_from(later), min_size=1, max_size=3))
            if earlier and draw(st.booleans()):  # a loop back, with the way forward above
                targets.append(draw(st.sampled_from(earlier)))
            labels = draw(st.lists(LABELS, min_size=len(targets), max_size=len(targets), unique=True))
            shares = draw(st.sampled_from(["none", "all", "some"]))
            split = split_one(draw, len(targets))
            branches: dict = {}
            for n, (label, target) in enumerate(zip(labels, targets, strict=True)):
                if shares == "all" or (shares == "some" and n % 2):
                    branches[label] = {"to": target, "probability": split[n]}
                else:
                    branches[label] = target
            step["branches"] = branches
            maybe(draw, step, "rule", NAMES)
        else:
            step["kind"] = draw(st.sampled_from(["task", "start", "end", "wait", "subprocess"]))
            if later and draw(st.booleans()):
                step["then"] = draw(st.lists(st.sampled_from(later), max_size=2, unique=True))
            if step["kind"] == "subprocess" and draw(st.booleans()):
                step["calls"] = draw(IDS.filter(lambda c: c != process_id))
        if earlier and draw(st.booleans()):
            step["needs"] = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
        if outcome_ids:
            maybe(draw, step, "delivers", st.lists(st.sampled_from(outcome_ids), max_size=2, unique=True))
        maybe(draw, step, "with", st.lists(st.sampled_from(actor_ids), max_size=2, unique=True))
        maybe(draw, step, "channel", st.sampled_from([c.value for c in Channel]))
        maybe(draw, step, "value", st.sampled_from([v.value for v in Value]))
        maybe(draw, step, "duration", DURATIONS)
        maybe(draw, step, "wait", DURATIONS)
        maybe(draw, step, "fails", PROBABILITIES)
        maybe(draw, step, "note", NAMES)
        if seen_by:
            maybe(draw, step, "seen-by", st.lists(NAMES, max_size=2))
        steps[sid] = step
    data: dict = {"procmap": 1, "process": process_id, "actors": actors, "outcomes": outcomes,
                  "steps": steps}
    maybe(draw, data, "name", NAMES)
    maybe(draw, data, "level", st.integers(1, 4))
    maybe(draw, data, "owner", NAMES)
    maybe(draw, data, "part-of", IDS.filter(lambda p: p != process_id))
    maybe(draw, data, "author", NAMES)
    maybe(draw, data, "note", NAMES)
    return Process.model_validate(data)


@SETTINGS
@given(valid_maps(seen_by=True))
def test_valid_maps_load_back_equal_and_pass_the_schema(process: Process) -> None:
    text = procmap.dumps(process)
    assert procmap.loads(text) == process
    validator().validate(as_data(text))


def corrupt(text: str, edit: int, where: int, char: str) -> str:
    """One random edit of a map's text: what a hurried hand or a bad merge does."""
    lines = text.splitlines(keepends=True)
    i = where % len(lines)
    line = lines[i]
    if edit == 0:  # delete a line
        del lines[i]
    elif edit == 1:  # duplicate a line
        lines.insert(i, line)
    elif edit == 2:  # change a character
        j = where % max(1, len(line))
        lines[i] = line[:j] + char + line[j + 1 :]
    elif edit == 3:  # indent deeper
        lines[i] = "  " + line
    elif edit == 4:  # indent less
        lines[i] = line[2:] if line.startswith("  ") else line
    elif edit == 5:  # indent with a tab
        lines[i] = "\t" + line.lstrip(" ")
    elif edit == 6:  # swap two lines
        k = (i + 1) % len(lines)
        lines[i], lines[k] = lines[k], line
    elif edit == 7:  # truncate
        return text[: where % max(1, len(text))]
    elif edit == 8:  # replace a value with garbage
        key, _, _ = line.partition(":")
        lines[i] = f"{key}: {char}{char}garbage\n"
    elif edit == 9:  # insert a character
        j = where % max(1, len(line))
        lines[i] = line[:j] + char + line[j:]
    elif edit == 10:  # rename an id where it is defined, not where it is referenced
        key, colon, rest = line.partition(":")
        if colon and key.strip():
            lines[i] = f"{key}{char}x{colon}{rest}"
    return "".join(lines)


CHARS = list(":-[]{}#&*!|>'\"% \n\r\t@`,?x1é\x00\x07\x1b\ufeff\u2028\x85")


@SETTINGS
@given(valid_maps(seen_by=True), st.integers(0, 10), st.integers(0, 10_000), st.sampled_from(CHARS))
def test_corrupted_maps_give_located_errors_or_load(process, edit, where, char) -> None:
    text = corrupt(procmap.dumps(process), edit, where, char)
    try:
        procmap.loads(text, file="wall.yaml")
    except procmap.LoadError as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.location is not None and error.location.file == "wall.yaml"
            assert error.location.line >= 1, error.message
            assert error.message.startswith("wall.yaml:")
            assert "\n" not in error.message


# Any YAML data with the map's field names in odd places: types go wrong everywhere.
FIELDS = ["procmap", "process", "steps", "actors", "outcomes", "actor", "kind", "needs", "then",
          "branches", "to", "probability", "level", "fails", "duration", "name", "with"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**30), st.floats(allow_nan=True),
    st.sampled_from(FIELDS + ["1", "team", "decision", "15m", "x y", "1e999", ""]),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(FIELDS + ["a", "b"]), inner, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(FIELDS), TREES, max_size=6), st.booleans())
def test_any_data_gives_located_errors_or_loads(data: dict, versioned: bool) -> None:
    if versioned:
        data = {"procmap": 1, **data}
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        procmap.loads(text, file="any.yaml")
    except procmap.LoadError as exc:
        assert all(e.location is not None and e.location.line >= 1 for e in exc.errors)
