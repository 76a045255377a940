"""How well discovered maps fit their logs: procmap against PM4Py's inductive miner (IMf, noise 0.2).

For each corpus log, procmap discovers the as-is map, exports it as BPMN, and PM4Py
reads that BPMN, converts it to a Petri net and scores it with its token-based
replay (fitness, and precision by ETConformance on the replay); on the big log,
whose replay by PM4Py takes more than half an hour, both nets are replayed by
procmap's token-based replay (equal to PM4Py's on the small logs); PM4Py's inductive
miner with noise threshold 0.2 is scored the same way on the same log. Prints
one row per log: fitness, precision and their F1 for each, with the number of
activities and gateways of procmap's map (and visible and silent transitions of
PM4Py's net).

    python benchmarks/discovery_quality.py                 # every small corpus log
    python benchmarks/discovery_quality.py receipt.csv     # some logs
    python benchmarks/discovery_quality.py --all           # bpic2012.xes.gz too (minutes)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")
ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("PROCMAP_CORPUS", "/work/shared/corpus")) / "logs"
SMALL = ["running-example.xes", "receipt.csv", "helpdesk.xes.gz", "roadtraffic50traces.xes",
         "roadtraffic100traces.xes", "reviewing.xes", "interval_event_log.xes",
         "hospital_log_high.xes.gz"]
BIG = ["bpic2012.xes.gz"]


@dataclass
class Score:
    fitness: float
    precision: float
    activities: int
    gateways: int
    seconds: float
    own: tuple[float, float] | None = None
    """procmap's own replay of its map (fitness, precision), to set beside PM4Py's."""

    @property
    def f1(self) -> float:
        total = self.fitness + self.precision
        return 2 * self.fitness * self.precision / total if total else 0.0


def pm4py_frame(path: Path):
    """The log as PM4Py reads it best: its XES reader, or pandas with the times parsed."""
    import pandas as pd
    import pm4py

    if path.name.endswith((".xes", ".xes.gz")):
        return pm4py.read_xes(str(path), show_progress_bar=False)
    frame = pd.read_csv(path, dtype={"case:concept:name": str})
    frame["time:timestamp"] = pd.to_datetime(frame["time:timestamp"], utc=True, format="mixed")
    return pm4py.format_dataframe(frame)


def replay(frame, net, initial, final) -> tuple[float, float]:
    """PM4Py's token-based replay: log fitness, and ETConformance precision."""
    import pm4py

    fitness = pm4py.fitness_token_based_replay(frame, net, initial, final)["log_fitness"]
    return fitness, pm4py.precision_token_based_replay(frame, net, initial, final)


def replay_in_procmap(net, initial, final, variants: dict[tuple[str, ...], int]) -> tuple[float, float]:
    """A PM4Py Petri net replayed by procmap's token-based replay (equal to PM4Py's on the
    small logs; on the big log PM4Py's own replay takes more than half an hour)."""
    from procmap.mining.replay import PetriNet, Replayer, Transition, measure

    (source,), (sink,) = list(initial), list(final)
    names = {p: ("source" if p == source else "sink" if p == sink else f"p{i}")
             for i, p in enumerate(sorted(net.places, key=lambda p: p.name))}
    transitions = {}
    for i, t in enumerate(sorted(net.transitions, key=lambda t: t.name)):
        transitions[f"t{i}"] = Transition(f"t{i}", t.label, [names[a.source] for a in t.in_arcs],
                                          [names[a.target] for a in t.out_arcs])
    quality = measure(Replayer(PetriNet(transitions)), variants)
    return quality.fitness, quality.precision


def log_variants(path: Path) -> dict[tuple[str, ...], int]:
    from procmap.mining import stats
    from procmap.mining.engine import Engine
    from procmap.mining.read import read_log

    with Engine() as engine:
        log = read_log(path, engine)
        stats.prepare(log)
        return {v.activities: v.cases for v in stats.variants(log)}


def procmap_score(path: Path, frame, *, by_procmap: bool = False) -> Score:
    """procmap's discovered map, exported as BPMN, read and replayed by PM4Py."""
    import pm4py

    from procmap.io.bpmn.writer import export_bpmn
    from procmap.mining.discover import discover
    from procmap.mining.engine import Engine
    from procmap.mining.read import read_log
    from procmap.model.process import StepKind

    with Engine() as engine:
        began = time.perf_counter()
        found = discover(read_log(path, engine))
        took = time.perf_counter() - began
    process = found.process
    kinds = [s.kind for s in process.steps.values()]
    gateways = sum(k in (StepKind.DECISION, StepKind.PARALLEL) for k in kinds)
    if by_procmap:
        assert found.quality is not None
        return Score(found.quality.fitness, found.quality.precision, kinds.count(StepKind.TASK),
                     gateways, took)
    with tempfile.TemporaryDirectory() as folder:
        bpmn = Path(folder) / "map.bpmn"
        bpmn.write_bytes(export_bpmn(process, customer_as="lane", diagram=False))
        net, initial, final = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(bpmn)))
    fitness, precision = replay(frame, net, initial, final)
    own = (found.quality.fitness, found.quality.precision) if found.quality else None
    return Score(fitness, precision, kinds.count(StepKind.TASK), gateways, took, own)


def inductive_score(frame, noise: float = 0.2, *, variants: dict | None = None) -> Score:
    """PM4Py's inductive miner (IMf) with ``noise``, replayed the same way."""
    import pm4py

    began = time.perf_counter()
    net, initial, final = pm4py.discover_petri_net_inductive(frame, noise_threshold=noise)
    took = time.perf_counter() - began
    if variants is not None:
        fitness, precision = replay_in_procmap(net, initial, final, variants)
    else:
        fitness, precision = replay(frame, net, initial, final)
    visible = sum(1 for t in net.transitions if t.label)
    return Score(fitness, precision, visible, len(net.transitions) - visible, took)


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    warnings.simplefilter("ignore")
    names = [a for a in argv if not a.startswith("--")] or (SMALL + BIG if "--all" in argv else SMALL)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; PM4Py token-based replay of each map")
    print(f"{'log':26} | {'procmap fit':>11} {'prec':>6} {'F1':>6} {'acts':>4} {'gw':>3} | "
          f"{'IMf 0.2 fit':>11} {'prec':>6} {'F1':>6} {'vis':>4} {'tau':>3} | F1 ≥ IMf")
    for name in names:
        frame = pm4py_frame(CORPUS / name)
        big = name in BIG  # PM4Py's replay of it takes more than half an hour: procmap's
        variants = log_variants(CORPUS / name) if big else None
        mine = procmap_score(CORPUS / name, frame, by_procmap=big)
        theirs = inductive_score(frame, variants=variants)
        print(f"{name:26} | {mine.fitness:11.4f} {mine.precision:6.4f} {mine.f1:6.4f} "
              f"{mine.activities:4d} {mine.gateways:3d} | {theirs.fitness:11.4f} "
              f"{theirs.precision:6.4f} {theirs.f1:6.4f} {theirs.activities:4d} {theirs.gateways:3d} | "
              f"{'yes' if mine.f1 >= theirs.f1 else 'NO'}{' (replayed by procmap)' if big else ''}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
