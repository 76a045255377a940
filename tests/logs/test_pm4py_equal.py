"""On every corpus log, procmap's directly-follows counts, mean waits and variants equal PM4Py's."""

from __future__ import annotations

import pytest

from procmap.logs import stats
from procmap.logs.read import read_log
from tests.logs.conftest import BIG_LOGS, SMALL_LOGS, corpus_log, pm4py_answers


def _compare(name: str, engine) -> None:
    path = corpus_log(name)
    expected = pm4py_answers(path)
    log = read_log(path, engine)
    stats.prepare(log)
    pairs = stats.directly_follows(log)
    assert {(p.source, p.target): p.frequency for p in pairs} == expected["dfg"]
    means = {(p.source, p.target): p.mean_wait for p in pairs}
    assert means.keys() == expected["mean"].keys()
    for pair, mean in expected["mean"].items():
        assert means[pair] == pytest.approx(mean, rel=1e-9, abs=1e-3), pair
    assert {v.activities: v.cases for v in stats.variants(log)} == expected["variants"]


@pytest.mark.parametrize("name", SMALL_LOGS)
def test_equal_to_pm4py(name: str, engine) -> None:
    _compare(name, engine)


@pytest.mark.slow
@pytest.mark.parametrize("name", BIG_LOGS)
def test_equal_to_pm4py_on_the_big_log(name: str, engine) -> None:
    _compare(name, engine)
