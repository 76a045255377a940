"""``procmap discover``: the as-is map of an event log, and the evidence of its cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import err, handles_errors, out
from procmap.cli.logs import LogArgument, ReportFormat, emit_report, log_options, open_log
from procmap.mining.options import LogOptions

HELP = """Discover the as-is map of an event log: what really happens, as a procmap map.

Lanes (org:group, --lane or --teams) become actors, and --customer names the
lanes that are the customer's (so their steps are Moments of Truth). Activities
become work steps; the structure comes from the log as the inductive miner finds
it: a choice is a decision whose branches are named after where they lead and
carry the real shares, activities that interleave are parallel branches with a
join, repetition is a rework loop, and every step can reach the end. Rare paths
(below 20% of a step's most frequent way out) are left out where the log shows
no structure with them. Each step's wait is the median wait before it; its note
has the counts and the 90th percentile. The map loads and checks like any other,
so 'procmap analyze' weighs it by real frequencies.

--evidence prints what cases go through instead of the map: hand-offs and
customer contacts per case, rework, ping-pong between lanes, the slowest
hand-offs and where cases wait.

Examples:

  procmap discover running-example.xes -o asis.yaml

  procmap discover receipt.csv --coverage 0.8 --variants variants.md -o receipt.yaml

  procmap discover receipt.csv --customer EMPTY -o receipt.yaml

  procmap discover receipt.csv --evidence --customer-activities 'Confirmation*'

  procmap discover loans.xes.gz --evidence --format json --teams teams.csv

  procmap discover loans.xes.gz --lifecycle complete -o loans.yaml

  procmap discover export.csv --time-format '%d-%m-%Y %H:%M' -o asis.yaml

  procmap discover --engine spark --spark-master spark://head:7077 /data/orders/ -o orders.yaml
"""


@handles_errors
@log_options
def discover(
    log_path: LogArgument,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The map file to write; standard output if left out.")] = None,
    coverage: Annotated[float, typer.Option("--coverage", min=0.01, max=1.0, help="Draw only the most frequent variants that cover this share of the cases.")] = 1.0,
    variants: Annotated[Path | None, typer.Option("--variants", help="Also write every variant with its cases to this Markdown file.")] = None,
    noise: Annotated[float | None, typer.Option("--noise", min=0.0, max=1.0, help="Leave out paths below this share of a step's most frequent way out (IMf's threshold). [default: the one of 0.2, 0.1, 0.3, 0 whose map fits best]", show_default=False)] = None,
    customer: Annotated[list[str] | None, typer.Option("--customer", help="A lane of the log that is the customer's (repeat for several): its steps are Moments of Truth.", show_default=False)] = None,
    evidence: Annotated[bool, typer.Option("--evidence", help="Print the evidence of the cases instead of the map (or beside it, with -o).")] = False,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Format of the evidence.")] = ReportFormat.text,
    force: Annotated[bool, typer.Option("--force", help="Replace files procmap did not write.")] = False,
    log: LogOptions | None = None,
) -> None:
    from procmap.output.write import write_text

    drawn = bool(output or variants or not evidence)
    with open_log(log_path, log or LogOptions()) as events:
        facts = None
        if evidence:
            from procmap.mining.evidence import evidence as find_evidence

            facts = find_evidence(events)
        found = None
        if drawn:
            from procmap.mining.discover import discover as discover_map

            found = discover_map(events, coverage=coverage, noise=noise, customer_lanes=customer or ())
    console = err()
    if found is not None:
        from procmap.io.yaml_writer import dumps

        text = dumps(found.process, header=f"Written by procmap discover from {log_path.name}")
        if output is not None:
            write_text(output, text, force=force)
            console.print(f"wrote {output}: {len(found.process.steps)} steps, "
                          f"{len(found.process.actors)} actors, {found.kept_cases} of "
                          f"{found.total_cases} cases", markup=False)
            if found.quality is not None:
                console.print(f"fit to the log: fitness {found.quality.fitness:.3f}, precision "
                              f"{found.quality.precision:.3f}", markup=False)
        elif facts is None:
            out().print(text, markup=False, end="")
        if found.cycle_warning:
            console.print(found.cycle_warning, markup=False)
        if variants is not None:
            write_text(variants, _variants_markdown(log_path.name, found), force=force)
            console.print(f"wrote {variants}: {len(found.variants)} variants", markup=False)
    if facts is not None:
        from procmap.mining.evidence import sections

        emit_report(f"Evidence from {log_path.name}", sections(facts), facts.to_dict(),
                    format=format, command="discover")


def _variants_markdown(name: str, found) -> str:
    from procmap.mining.discover import seconds

    median, p90 = found.log_cycle
    lines = [
        "<!-- Written by procmap discover -->",
        f"# Variants of {name}", "",
        f"{found.total_cases} cases, {len(found.variants)} variants. Cases take a median "
        f"{seconds(median)}, p90 {seconds(p90)}; the discovered map's expected cycle time is "
        f"{seconds(found.map_cycle)}.", "",
        "| # | cases | share | median duration | activities |", "|---:|---:|---:|---:|---|",
    ]
    for i, v in enumerate(found.variants, 1):
        path = " → ".join(v.activities).replace("|", "\\|")
        lines.append(f"| {i} | {v.cases} | {100 * v.cases / found.total_cases:.1f}% | "
                     f"{seconds(found.durations.get(v.activities))} | {path} |")
    return "\n".join(lines) + "\n"
