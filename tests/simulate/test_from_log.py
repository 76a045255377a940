"""Parameters from a real log, and the simulated log held against it with log-distance-measures."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import numpy as np
import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.mining.options import LogOptions, open_log
from procmap.simulation import simulate
from procmap.simulation.distance import distances, wasserstein
from procmap.simulation.fromlog import parameters_from_log, simulated_log_arrays
from tests.conftest import corpus_file


@pytest.fixture(scope="module")
def loan(tmp_path_factory):
    """The LoanApp log (1,000 cases with start and end times) and its discovered map."""
    folder = tmp_path_factory.mktemp("loan")
    log = folder / "loan.csv"
    with gzip.open(corpus_file("simulation", "LoanApp_sequential_9-5_diffres_filtered.csv.gz")) as f:
        log.write_bytes(f.read())
    with open_log(log, LogOptions()) as events:
        found = procmap.discover(events).process
        fitted = parameters_from_log(found, events)
    return log, found, fitted


def test_parameters_come_from_the_log(loan) -> None:
    _, found, fitted = loan
    p = fitted.process
    assert p.arrivals and p.arrivals.startswith("every ")
    check = next(s for s in p.steps.values() if s.name == "Check credit history")
    assert check.duration is not None and check.duration.distribution == "lognormal"
    assert check.wait is not None
    assert "1,000 cases" in fitted.taken[0]


def test_measures_equal_the_log_distance_measures_package(loan) -> None:
    ldm = pytest.importorskip("log_distance_measures")
    import pandas as pd
    from log_distance_measures.absolute_event_distribution import (
        absolute_event_distribution_distance,
    )
    from log_distance_measures.case_arrival_distribution import case_arrival_distribution_distance
    from log_distance_measures.config import EventLogIDs
    from log_distance_measures.cycle_time_distribution import cycle_time_distribution_distance
    from log_distance_measures.n_gram_distribution import n_gram_distribution_distance

    assert ldm
    _, _, fitted = loan
    run = simulate(fitted.process, cases=300, replications=1, log=True, unlimited=True, seed=3)
    sim = simulated_log_arrays(run.model, run.replication_data[0], run.warm_up,
                               float(fitted.real.start.min()))
    # a part of the real log keeps the package's pandas group-bys short
    from procmap.simulation.distance import LogArrays

    keep = np.isin(fitted.real.case, np.unique(fitted.real.case)[:300])
    real_part = LogArrays(*(getattr(fitted.real, f)[keep] for f in ("case", "activity", "start", "end")))
    ours = distances(real_part, sim)

    ids = EventLogIDs(case="case", activity="activity", start_time="start", end_time="end")

    def frame(a) -> pd.DataFrame:
        return pd.DataFrame({"case": a.case.astype(str), "activity": a.activity,
                             "start": pd.to_datetime(a.start, unit="s", utc=True),
                             "end": pd.to_datetime(a.end, unit="s", utc=True)})

    real, simulated = frame(real_part), frame(sim)
    theirs = {
        "n_gram_distance": n_gram_distribution_distance(real, ids, simulated, ids, n=3),
        "absolute_event_distribution_hours": absolute_event_distribution_distance(
            real, ids, simulated, ids),
        "case_arrival_distribution_hours": case_arrival_distribution_distance(
            real, ids, simulated, ids),
        "cycle_time_distribution_hours": cycle_time_distribution_distance(
            real, ids, simulated, ids, bin_size=timedelta(hours=1)),
    }
    for name, value in theirs.items():
        assert ours[name] == pytest.approx(value, rel=1e-9, abs=1e-9), name
    assert 0 < ours["n_gram_distance"] < 1


def test_control_flow_log_distance_equals_the_package(loan) -> None:
    pytest.importorskip("log_distance_measures")
    import pandas as pd
    from log_distance_measures.config import EventLogIDs
    from log_distance_measures.control_flow_log_distance import (
        control_flow_log_distance as package_cfld,
    )

    from procmap.simulation.distance import LogArrays, control_flow_log_distance

    _, _, fitted = loan
    run = simulate(fitted.process, cases=200, replications=1, log=True, unlimited=True, seed=5)
    sim = simulated_log_arrays(run.model, run.replication_data[0], run.warm_up,
                               float(fitted.real.start.min()))

    def first(log: LogArrays, n: int) -> LogArrays:
        keep = np.isin(log.case, np.unique(log.case)[:n])
        return LogArrays(*(getattr(log, f)[keep] for f in ("case", "activity", "start", "end")))

    ids = EventLogIDs(case="case", activity="activity", start_time="start", end_time="end")

    def frame(a: LogArrays) -> pd.DataFrame:
        return pd.DataFrame({"case": a.case.astype(str), "activity": a.activity,
                             "start": pd.to_datetime(a.start, unit="s", utc=True),
                             "end": pd.to_datetime(a.end, unit="s", utc=True)})

    # more real cases than simulated ones: only as many pairs as the smaller log has
    real, simulated = first(fitted.real, 180), first(sim, 140)
    theirs = package_cfld(frame(real), ids, frame(simulated), ids, parallel=False)
    ours = control_flow_log_distance(real, simulated)
    assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-12)
    # the pairing over distinct paths (large logs) reaches the same optimum
    over_paths = control_flow_log_distance(real, simulated, case_pairs_limit=0)
    assert over_paths == pytest.approx(theirs, rel=1e-9, abs=1e-9)
    assert 0 < ours < 1
    # either way round, and a log against itself is at distance 0
    assert control_flow_log_distance(simulated, real) == pytest.approx(ours, rel=1e-12)
    assert control_flow_log_distance(real, real) == 0


def test_control_flow_log_distance_by_hand() -> None:
    from procmap.simulation.distance import LogArrays, control_flow_log_distance

    def log(*traces: str) -> LogArrays:
        case = [k for k, t in enumerate(traces) for _ in t]
        act = [a for t in traces for a in t]
        at = np.arange(len(act), dtype=float)
        return LogArrays(np.array(case), np.array(act, dtype=object), at, at)

    # abc-acb is one transposition over 3; abcd-abd one deletion over 4; x-abd 3 over 3.
    # Best pairing of (abc, abcd) with (acb, abd, x): abc-acb + abcd-abd = 1/3 + 1/4
    real, simulated = log("abc", "abcd"), log("acb", "abd", "x")
    assert control_flow_log_distance(real, simulated) == pytest.approx((1 / 3 + 1 / 4) / 2)
    assert control_flow_log_distance(real, simulated, case_pairs_limit=0) == pytest.approx(
        (1 / 3 + 1 / 4) / 2)


def test_wasserstein_is_scipys() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(1)
    u, v = rng.integers(0, 50, 300), rng.integers(5, 60, 200)
    assert wasserstein(u, v) == pytest.approx(scipy_stats.wasserstein_distance(u, v))


def test_cli_from_log(loan, tmp_path) -> None:
    log, found, _ = loan
    path = tmp_path / "loan.yaml"
    path.write_text(procmap.dumps(found))
    result = CliRunner().invoke(app, ["simulate", str(path), "--from-log", str(log), "-r", "2",
                                      "-f", "json"])
    assert result.exit_code == 0, result.output
    whole = json.loads(result.output)
    assert whole["run"]["cases"] == 1000  # as many as the log has
    data = whole["from_log"]
    assert set(data["distances"]) == {"n_gram_distance", "control_flow_log_distance",
                                      "absolute_event_distribution_hours",
                                      "case_arrival_distribution_hours",
                                      "cycle_time_distribution_hours"}
    # the discovered map walks the log's paths, as often
    assert data["distances"]["n_gram_distance"] < 0.3
    assert 0 <= data["distances"]["control_flow_log_distance"] < 0.3
