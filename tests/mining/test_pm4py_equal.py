"""On every corpus log, procmap's directly-follows counts, mean waits and variants equal PM4Py's."""

from __future__ import annotations

import pytest

from procmap.mining import stats
from procmap.mining.read import read_log
from tests.mining.conftest import BIG_LOGS, SMALL_LOGS, corpus_log, pm4py_answers


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


def test_complete_events_only_equal_to_pm4py_filtered(engine) -> None:
    # reviewing.xes has start and complete events; PM4Py keeps the complete ones
    # with its event-level attribute filter
    import warnings

    from procmap.mining.columns import EventLogColumns

    path = corpus_log("reviewing.xes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pm4py

        df = pm4py.read_xes(str(path), show_progress_bar=False)
        kept = df["lifecycle:transition"].str.lower() == "complete"
        df = df[kept]
        dfg, _, _ = pm4py.discover_dfg(df)
        perf, _, _ = pm4py.discover_performance_dfg(df)
        variants = {tuple(v): n for v, n in pm4py.get_variants(df).items()}
    log = read_log(path, engine, columns=EventLogColumns(transitions=("Complete",)))
    assert (log.events, log.other_transitions) == (int(kept.sum()), int((~kept).sum()))
    stats.prepare(log)
    pairs = stats.directly_follows(log)
    assert {(p.source, p.target): p.frequency for p in pairs} == dict(dfg)
    for p in pairs:
        assert p.mean_wait == pytest.approx(perf[p.source, p.target]["mean"], rel=1e-9, abs=1e-3)
    assert {v.activities: v.cases for v in stats.variants(log)} == variants
    assert 0 < log.other_transitions < log.events + log.other_transitions


@pytest.mark.parametrize("name", ["receipt.csv", "reviewing.xes", "hospital_log_high.xes.gz"])
def test_a_pairs_cases_are_the_cases_it_comes_in(name: str, engine) -> None:
    # counted from PM4Py's variants: a case counts once however often the pair repeats in it
    from collections import Counter

    expected: Counter[tuple[str, str]] = Counter()
    for variant, cases in pm4py_answers(corpus_log(name))["variants"].items():
        for pair in set(zip(variant, variant[1:], strict=False)):
            expected[pair] += cases
    log = read_log(corpus_log(name), engine)
    stats.prepare(log)
    pairs = stats.directly_follows(log)
    assert {(p.source, p.target): p.cases for p in pairs} == expected
    assert any(p.cases < p.frequency for p in pairs)  # some pairs repeat within a case
