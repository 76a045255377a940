"""The bundled example log of the onboarding map: up to date, and what conform finds in it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import procmap
from procmap.mining.conform import conform
from procmap.mining.read import read_log
from tests.conftest import EXAMPLES, ROOT, write_file

LOG = EXAMPLES / "logs" / "customer-onboarding.csv"
MAP = EXAMPLES / "customer-onboarding.yaml"


def _generator():
    spec = importlib.util.spec_from_file_location("example_log", ROOT / "tools" / "example_log.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_bundled_log_is_what_its_generator_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "log.csv"
    _generator().write(fresh)
    assert fresh.read_bytes() == LOG.read_bytes()


def test_the_map_allows_every_case_but_those_with_the_unmapped_call(engine) -> None:
    unmapped = _generator().UNMAPPED[1]
    result = conform(procmap.load(MAP), read_log(LOG, engine))
    calls = {line.split(",")[0] for line in LOG.read_text("utf-8").splitlines() if unmapped in line}
    assert result.cases == 400 and 0 < len(calls) < 40
    assert result.fitting_cases == result.cases - len(calls)
    assert [row["activity"] for row in result.not_in_map] == [unmapped]
    assert result.never_happen == [] and result.handoffs_not_on_paper == []


def test_a_case_may_end_on_a_named_end_step(tmp_path: Path, engine) -> None:
    process = procmap.loads(
        "procmap: 1\nprocess: p\nactors: {t: {kind: team}}\nsteps:\n"
        "  a: {actor: t, name: Open the claim}\n"
        "  done: {actor: t, kind: end, name: Claim closed, needs: [a]}\n"
    )
    log = write_file(tmp_path, "log.csv", "case:concept:name,concept:name,time:timestamp\n"
                     "c1,Open the claim,2026-01-01T10:00:00\nc1,Claim closed,2026-01-01T11:00:00\n")
    result = conform(process, read_log(log, engine))
    assert (result.fitting_cases, result.cases) == (1, 1)
