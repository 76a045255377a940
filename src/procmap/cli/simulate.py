"""``procmap simulate``: run a map under load, as-is against to-be, outside in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import ReportFormat, err, handles_errors
from procmap.cli.logs import EngineOption, SparkConfOption, SparkMasterOption, emit_report

HELP = """Run a map under load: waits, queues, cost, and the customer's waits, with 95% intervals.

The map is the model: durations (15m fixed, 10m..30m uniform, or
{mean: 8m, distribution: exponential}), waits, branch probabilities, parallel
branches, rework loops; and, where given, the process's arrivals ('every 10m',
'200 per day') and calendar, and each lane's capacity, cost per hour and
calendar. What the map leaves out is assumed, and the report says what.

It reports cycle, work and waiting time (mean, median, p90), cost and contacts
per case, utilisation and queues per lane and the bottleneck; outside in, the
customer's wait before each Moment of Truth, the delay at each Break Point and
the share of cases reaching each outcome. The same seed gives the same run.

--compare TO_BE runs a to-be map under the same arrivals and random numbers and
reports what changed, with intervals. --log-out writes the simulated event log
(CSV, Parquet or XES) that 'discover', 'conform' and 'analyze --log' read.
--from-log takes arrivals, durations, waits and branch shares from a real log
and says how far the simulated log is from it (log distance measures).
--prosimos runs a BPMN model with a Prosimos parameter file as Prosimos would.

Examples:

  procmap simulate examples/simulate/claims-as-is.yaml

  procmap simulate examples/simulate/claims-as-is.yaml --compare examples/simulate/claims-to-be.yaml

  procmap simulate map.yaml --arrivals '200 per day' --cases 5000 --replications 20 -f json

  procmap simulate examples/simulate/claims-as-is.yaml --log-out simulated.xes

  procmap simulate asis.yaml --from-log orders.csv

  procmap simulate asis.yaml --from-log /data/orders/ --engine spark --spark-master spark://head:7077

  procmap simulate loan.bpmn --prosimos loan.json
"""


@handles_errors
def simulate(
    map_path: Annotated[Path, typer.Argument(help="The map to run (the as-is map with --compare).", metavar="MAP", show_default=False)],
    compare: Annotated[Path | None, typer.Option("--compare", help="A to-be map to run under the same arrivals and seeds.", metavar="TO_BE")] = None,
    cases: Annotated[int | None, typer.Option("--cases", "-n", min=1, help="Cases measured in each replication. [default: 1000; with --from-log, as many as the log has]", show_default=False)] = None,
    replications: Annotated[int, typer.Option("--replications", "-r", min=1, help="Independent runs; figures are their means with 95% intervals.")] = 10,
    warm_up: Annotated[int | None, typer.Option("--warm-up", min=0, help="Cases run first and not measured. [default: a tenth of --cases]", show_default=False)] = None,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same run.")] = 1,
    arrivals: Annotated[str | None, typer.Option("--arrivals", help="How often a case starts, overriding the map: 'every 10m', '200 per day'.", show_default=False)] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here (json or markdown).")] = None,
    prosimos: Annotated[Path | None, typer.Option("--prosimos", help="MAP is a BPMN model: run it with this Prosimos parameter file (JSON) as Prosimos would.", metavar="PARAMS", show_default=False)] = None,
    from_log: Annotated[Path | None, typer.Option("--from-log", help="Take arrivals, durations, waits and branch shares from this event log (.csv, .parquet, .xes) and compare the simulated log with it.", metavar="LOG", show_default=False)] = None,
    log_out: Annotated[Path | None, typer.Option("--log-out", metavar="FILE", help="Write the simulated event log of the first replication: .csv, .parquet or .xes (of the as-is map with --compare).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files procmap did not write.")] = False,
    engine: EngineOption = None,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
) -> None:
    from procmap.errors import LoadError
    from procmap.io.files import load_paths
    from procmap.mining.progress import progress
    from procmap.simulation import compare as compare_maps
    from procmap.simulation import report
    from procmap.simulation import simulate as run

    paths = [map_path] if compare is None else [map_path, compare]
    loaded = load_paths(paths)
    if loaded.errors:
        raise LoadError(loaded.errors)
    maps = [p for p, _ in loaded.maps]
    if len(maps) != len(paths):
        raise typer.BadParameter("name one map file (a folder is a catalog)", param_hint="MAP")
    from procmap.simulation.log import log_format

    fmt = None
    log_path = log_out
    if log_path is not None:
        fmt = log_format(log_path.name)
        if fmt is None:
            raise typer.BadParameter("name a .csv, .parquet or .xes file", param_hint="--log-out")
    read_notes: list[str] = []
    if prosimos is not None:
        if not map_path.name.lower().endswith(".bpmn"):
            raise typer.BadParameter("needs MAP to be a BPMN model (.bpmn)", param_hint="--prosimos")
        from procmap.simulation.prosimos import read_prosimos

        read = read_prosimos(map_path, prosimos)
        maps[0] = read.process
        read_notes = read.notes
    fitted = None
    if from_log is not None:
        if compare is not None:
            raise typer.BadParameter("takes no --compare", param_hint="--from-log")
        import numpy as np

        from procmap.mining.options import LogOptions, open_log
        from procmap.simulation.fromlog import parameters_from_log

        on = LogOptions(engine=engine, spark_master=spark_master, spark_conf=tuple(spark_conf or ()))
        with open_log(from_log, on,
                      warn=lambda text: err().print(text, markup=False)) as real:
            fitted = parameters_from_log(maps[0], real)
        maps[0] = fitted.process
        if cases is None:  # the measures compare counts: as many cases as the real log
            cases = len(np.unique(fitted.real.case))
    options = {"cases": cases or 1000, "replications": replications, "warm_up": warm_up, "seed": seed,
               "arrivals": arrivals, "log": log_out is not None or fitted is not None,
               "unlimited": fitted is not None}
    with progress("simulating", total=1.0) as update:
        if compare is None:
            result = run(maps[0], progress=update, **options)
            title, sections, data = (report.run_title(result), report.run_sections(result),
                                     result.to_dict())
            if read_notes:
                sections[0].notes[1:1] = [f"Prosimos parameters: {n}" for n in read_notes]
                data["prosimos"] = {"parameters": str(prosimos), "notes": read_notes}
            if fitted is not None:
                from procmap.simulation.distance import distances
                from procmap.simulation.fromlog import simulated_log_arrays

                simulated = simulated_log_arrays(result.model, result.replication_data[0],
                                                 result.warm_up, float(fitted.real.start.min()))
                measured = distances(fitted.real, simulated)
                sections.insert(0, report.from_log_section(from_log.name, fitted, measured))
                data["from_log"] = {"log": str(from_log), "taken": fitted.taken,
                                    "people_per_lane": fitted.people, "distances": measured}
        else:
            both = compare_maps(maps[0], maps[1], progress=update, **options)
            title, sections, data = (report.compare_title(both), report.compare_sections(both),
                                     both.to_dict())
    if log_path is not None and fmt is not None:
        from procmap.output.write import write_bytes
        from procmap.simulation.log import event_table, log_bytes

        ran = result if compare is None else both.before
        table = event_table(ran.model, ran.replication_data[0], first_case=ran.warm_up)
        write_bytes(log_path, log_bytes(table, fmt, title=f"from {map_path.name}"), force=force)
        err().print(f"wrote {log_path}: {table.num_rows:,} events of {ran.cases:,} cases",
                    markup=False)
    emit_report(title, sections, data, format=format, output=output, force=force,
                command="simulate")
    if compare is None and format is ReportFormat.text and result.seconds > 1:
        err().print(f"{result.activities:,} activities in {result.seconds:.1f}s", markup=False)
