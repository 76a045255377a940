"""Token-based fitness and precision: procmap's equal PM4Py's on the discovered maps' BPMN export."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pytest

import procmap
from procmap.io.bpmn.writer import export_bpmn
from procmap.mining import stats
from procmap.mining.discover import discover
from procmap.mining.read import read_log
from procmap.mining.replay import quality
from tests.mining.conftest import corpus_log

QUICK = ["running-example.xes", "roadtraffic50traces.xes", "receipt.csv"]
# the other corpus logs: test_discover_quality.py sets procmap's replay beside PM4Py's there


def _pm4py(path: Path, bpmn: Path) -> tuple[float, float]:
    pytest.importorskip("pm4py", reason="the pm4py test extra is not installed")
    import os

    os.environ.setdefault("TQDM_DISABLE", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pm4py

        from tests.mining.test_discover_quality import BENCH

        frame = BENCH.pm4py_frame(path)
        net, initial, final = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(bpmn)))
        return BENCH.replay(frame, net, initial, final)


def _compare(name: str, engine, tmp_path: Path) -> None:
    path = corpus_log(name)
    log = read_log(path, engine)
    found = discover(log)
    stats.prepare(log)
    variants = {v.activities: v.cases for v in stats.variants(log)}
    mine = quality(found.process, variants)
    bpmn = tmp_path / "map.bpmn"
    bpmn.write_bytes(export_bpmn(found.process, customer_as="lane", diagram=False))
    fitness, precision = _pm4py(path, bpmn)
    assert mine.fitness == pytest.approx(fitness, abs=0.01)
    assert mine.precision == pytest.approx(precision, abs=0.01)
    assert found.quality is not None and found.quality.fitness == pytest.approx(mine.fitness)
    assert f"fitness {mine.fitness:.3f}, precision {mine.precision:.3f}" in (found.process.note or "")


@pytest.mark.parametrize("name", QUICK)
def test_fitness_and_precision_equal_pm4py(name: str, engine, tmp_path: Path) -> None:
    _compare(name, engine, tmp_path)


def test_counted_by_hand_on_a_small_map() -> None:
    # a then b. The net, its silent start and end merged away: source → a → p → b → sink.
    # (a, b) × 3 fits: produced 3 (source, a, b), consumed 3 (a, b, sink), nothing missing
    # or left. (b) × 1: b lacks its token (1 missing); produced 2 (source, b), consumed 2
    # (b, sink), the token in source left (1 remaining).
    # fitness = ½ (1 − 1/11) + ½ (1 − 1/11) = 10/11
    process = procmap.loads("procmap: 1\nprocess: p\nactors: {t: {kind: team}}\nsteps:\n"
                            "  a: {actor: t, name: a}\n  b: {actor: t, name: b, needs: a}\n")
    result = quality(process, Counter({("a", "b"): 3, ("b",): 1}))
    assert (result.fitting_cases, result.cases) == (3, 4)
    assert result.fitness == pytest.approx(10 / 11)
    # precision: first the map allows a (the log begins with a and b: no escape); after a it
    # allows b, as the log does: nothing escapes
    assert result.precision == 1.0
    # a map that allows b or c after a, where the log only does b: 1 of 2 allowed escapes
    # after a (3 cases), none at the start (4 cases × 1): 1 − 3 / (4 + 3 × 2) = 0.7
    wider = procmap.loads("procmap: 1\nprocess: p\nactors: {t: {kind: team}}\nsteps:\n"
                          "  a: {actor: t, name: a}\n"
                          "  pick: {actor: t, kind: decision, needs: a, branches: {b: b, c: c}}\n"
                          "  b: {actor: t, name: b}\n  c: {actor: t, name: c}\n")
    assert quality(wider, Counter({("a", "b"): 3, ("b",): 1})).precision == pytest.approx(0.7)


def test_one_tree_of_the_variants_replayed_through_several_maps() -> None:
    # discovery builds the variants' prefix tree once and replays it through each candidate
    from procmap.mining.replay import VariantTree

    variants = {("a", "b"): 3, ("b",): 1, ("a", "c", "b"): 2}
    tree = VariantTree(variants)
    # prefixes: a (5 cases), a b (3, ending), a c (2), a c b (2, ending), b (1, ending)
    assert tree.cases == 6 and len(tree.passing) == 6
    assert sorted(zip(tree.passing[1:], tree.ending[1:], strict=True)) == [(1, 1), (2, 0), (2, 2), (3, 3), (5, 0)]
    plain = procmap.loads("procmap: 1\nprocess: p\nactors: {t: {kind: team}}\nsteps:\n"
                          "  a: {actor: t, name: a}\n  b: {actor: t, name: b, needs: a}\n")
    wider = procmap.loads("procmap: 1\nprocess: p\nactors: {t: {kind: team}}\nsteps:\n"
                          "  a: {actor: t, name: a}\n"
                          "  pick: {actor: t, kind: decision, needs: a, branches: {b: b, c: c}}\n"
                          "  b: {actor: t, name: b}\n  c: {actor: t, name: c, then: b}\n")
    for process in (plain, wider, plain):
        assert quality(process, tree) == quality(process, Counter(variants))
    # the wider map lets a → c → b through, the plain one passes over c (not in it): in
    # both, every case but the one that skips a fits
    assert quality(wider, tree).fitting_cases == quality(plain, tree).fitting_cases == 5
