"""Reference and structure checks on the model, whatever format a map came from.

Their messages as the loader prints them are the golden files in tests/io/bad/;
here: the did-you-mean, long loops, and checks on maps built without the loader.
"""

from __future__ import annotations

from procmap.model.checks import did_you_mean, endless_loops, reference_problems
from tests.conftest import unchecked


def test_did_you_mean_names_the_closest_id() -> None:
    assert did_you_mean("sucess", ["sales", "success", "service"]) == "did you mean 'success'?"
    assert did_you_mean("xyz", ["sales", "success"]) is None
    assert did_you_mean("sales", []) is None


def test_a_long_endless_loop_is_shortened() -> None:
    ids = [f"s{i}" for i in range(8)]
    steps = {sid: {"actor": "s", "then": [ids[(i + 1) % 8]]} for i, sid in enumerate(ids)}
    (problem,) = endless_loops(unchecked(steps))
    assert problem.what == (
        "the loop s0 → s1 → s2 → s3 → s4 → s5 → … has no way out, so the process never ends"
    )
    assert problem.path == ("steps", "s0") and problem.at == "key"


def test_a_map_built_without_the_loader_is_checked_the_same() -> None:
    process = unchecked(
        {"run": {"actor": "s", "kind": "subprocess", "calls": "p", "then": ["run"]}},
        **{"part-of": "p"},
    )
    found = {(p.path, p.what) for p in reference_problems(process)}
    assert found == {
        (("steps", "run", "then", 0), "names itself as its next step"),
        (("steps", "run", "calls"), "calls its own process"),
        (("part-of",), "is part of itself"),
        (("steps", "run"), "the loop run → run has no way out, so the process never ends"),
    }


def test_ids_known_elsewhere_are_not_reported_again() -> None:
    process = unchecked({"a": {"actor": "crm", "needs": ["broken"], "with": ["crm"]}})
    assert [p.what for p in reference_problems(process)] == [
        "actor 'crm' is not declared under actors",
        "with 'crm', which is not an actor",
        "needs 'broken', which is not a step",
    ]
    widened = reference_problems(
        process, known_steps={"a", "broken"}, known_actors={"crm"}, known_outcomes=set()
    )
    assert list(widened) == []
