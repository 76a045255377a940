"""What-if runs of a map: ``procmap simulate`` and :func:`procmap.simulate`.

A map with timings is a model that can run (DESIGN §9). :func:`simulate` runs
it case by case (:mod:`procmap.simulation.engine`), several times over
(replications), and reports each figure with a 95% confidence interval
(:mod:`procmap.simulation.results`); :func:`compare` runs an as-is and a to-be map
under the same arrivals and random numbers and reports the differences.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from procmap.simulation.model import SimulationError, compile_map

if TYPE_CHECKING:
    from procmap.model.process import Process
    from procmap.simulation.results import SimulationResult
    from procmap.simulation.whatif import Comparison

__all__ = ["SimulationError", "compare", "simulate"]

DEFAULT_CASES = 1000
DEFAULT_REPLICATIONS = 10


def _process(source: Process | str | os.PathLike[str]) -> Process:
    from procmap.model.process import Process

    if isinstance(source, Process):
        return source
    from procmap.io.yaml_loader import load

    return load(source)


def simulate(
    source: Process | str | os.PathLike[str],
    *,
    cases: int = DEFAULT_CASES,
    replications: int = DEFAULT_REPLICATIONS,
    warm_up: int | None = None,
    seed: int = 1,
    arrivals: str | None = None,
    log: bool = False,
    progress: Callable[[float], None] | None = None,
    unlimited: bool = False,
) -> SimulationResult:
    """Run a map under load and measure it, outside in.

    Args:
        source: a loaded map or the path of one.
        cases: cases measured in each replication.
        replications: independent runs; the figures are their means with 95% intervals.
        warm_up: cases run first and not measured (default: a tenth of ``cases``), so the
            queues are not measured empty.
        seed: the same seed gives the same run, event for event.
        arrivals: overrides the map's ``arrivals`` (``every 10m``, ``200 per day``).
        log: keep the simulated event log (see :func:`procmap.simulation.log.event_log`).
        progress: called with the share of the run done (0..1).
        unlimited: no lane makes anyone queue (its capacity left aside): for maps whose
            waits already hold the queueing, such as maps fitted to a log.

    Example:
        >>> result = procmap.simulate("examples/simulate/claims-as-is.yaml")  # doctest: +SKIP
        >>> result.cycle["mean"].mean / 3600  # doctest: +SKIP
        52.3
    """
    from procmap.simulation.engine import run_replication
    from procmap.simulation.results import aggregate

    if cases < 1 or replications < 1:
        raise SimulationError("a run needs at least one case and one replication")
    warm = cases // 10 if warm_up is None else warm_up
    if warm < 0:
        raise SimulationError("the warm-up cannot be negative")
    model = compile_map(_process(source), arrivals=arrivals, unlimited=unlimited)
    began = time.perf_counter()
    reps = []
    for r in range(replications):
        report = None
        if progress is not None:
            def report(done: int, r: int = r) -> None:
                progress((r + done / (cases + warm)) / replications)
        reps.append(run_replication(model, cases, warm, seed, r, log=log, progress=report))
        if progress is not None:
            progress((r + 1) / replications)
    result = aggregate(model, reps, cases=cases, warm_up=warm, seed=seed)
    result.seconds = time.perf_counter() - began
    result.model = model  # type: ignore[attr-defined]
    return result


def compare(
    as_is: Process | str | os.PathLike[str],
    to_be: Process | str | os.PathLike[str],
    **options: object,
) -> Comparison:
    """Run an as-is and a to-be map under the same arrivals and seeds; the differences.

    Both maps meet the same arrivals (the as-is map's, unless ``arrivals`` is given)
    and the same random numbers where they share steps (common random numbers), so
    the differences have narrower intervals than two separate runs would give.
    """
    from procmap.simulation.whatif import compare_results

    before_map = _process(as_is)
    after_map = _process(to_be)
    if options.get("arrivals") is None:
        given = before_map.arrivals or after_map.arrivals
        if given is None:  # the as-is map's assumed load, for both
            given = compile_map(before_map).arrivals
            text = f"every {given.gap:.3f}s"
            options = {**options, "arrivals": text}
        else:
            options = {**options, "arrivals": given}
    before = simulate(before_map, **options)  # type: ignore[arg-type]
    after = simulate(after_map, **options)  # type: ignore[arg-type]
    return compare_results(before, after)
