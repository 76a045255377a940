"""Shared fixtures of the log tests: the corpus logs, and PM4Py's answers cached per session."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_file

LOGS = CORPUS / "logs"
SMALL_LOGS = [
    "running-example.xes", "running-example.csv", "receipt.csv", "receipt.parquet",
    "helpdesk.xes.gz", "roadtraffic50traces.xes", "roadtraffic100traces.xes",
    "reviewing.xes", "interval_event_log.xes", "hospital_log_high.xes.gz",
]
BIG_LOGS = ["bpic2012.xes.gz"]


def corpus_log(name: str) -> Path:
    return corpus_file("logs", name)


@pytest.fixture
def engine() -> Iterator[object]:
    from procmap.mining.engine import Engine

    with Engine(memory_limit="2GB") as eng:
        yield eng


_PM4PY: dict[str, dict] = {}


def pm4py_answers(path: Path) -> dict:
    """PM4Py's directly-follows counts, mean waits and variants of a log, computed once a session.

    PM4Py gets its best setup: its own XES reader, or pandas with the timestamp
    parsed and ``format_dataframe``.
    """
    if path.name in _PM4PY:
        return _PM4PY[path.name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandas as pd
        import pm4py

        if path.name.endswith((".xes", ".xes.gz")):
            df = pm4py.read_xes(str(path), show_progress_bar=False)
        else:
            if path.suffix == ".csv":
                df = pd.read_csv(path, dtype={"case:concept:name": str})
            else:
                df = pd.read_parquet(path)
            df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True, format="mixed")
            df = pm4py.format_dataframe(df)
        dfg, _, _ = pm4py.discover_dfg(df)
        perf, _, _ = pm4py.discover_performance_dfg(df)
        answers = {
            "dfg": dict(dfg),
            "mean": {pair: values["mean"] for pair, values in perf.items()},
            "variants": {tuple(v): n for v, n in pm4py.get_variants(df).items()},
        }
    _PM4PY[path.name] = answers
    return answers
