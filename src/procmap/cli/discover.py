"""``procmap discover``: the as-is map of an event log, and the evidence of its cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import err, handles_errors, out
from procmap.cli.logs import (
    ActivityOption,
    CaseOption,
    CustomerOption,
    LaneOption,
    LogArgument,
    MemoryOption,
    ReportFormat,
    ResourceOption,
    StartOption,
    TeamsOption,
    TimestampOption,
    open_log,
)

HELP = """Discover the as-is map of an event log: what really happens, as a procmap map.

Lanes (org:group, --lane or --teams) become actors, activities steps,
directly-follows pairs flows; a step followed by several others is a decision
whose branch probabilities are the real shares. Each step's wait is the median
wait before it; its note has the counts and the 90th percentile. The map loads
and checks like any other, so 'procmap analyze' weighs it by real frequencies.

--evidence prints what cases go through instead of the map: hand-offs and
customer contacts per case, rework, ping-pong between lanes, the slowest
hand-offs and where cases wait.

Examples:

  procmap discover running-example.xes -o asis.yaml

  procmap discover receipt.csv --coverage 0.8 --variants variants.md -o receipt.yaml

  procmap discover receipt.csv --evidence --customer-activities 'Confirmation*'

  procmap discover loans.xes.gz --evidence --format json --teams teams.csv
"""


@handles_errors
def discover(
    log_path: LogArgument,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The map file to write; standard output if left out.")] = None,
    coverage: Annotated[float, typer.Option("--coverage", min=0.01, max=1.0, help="Draw only the most frequent variants that cover this share of the cases.")] = 1.0,
    variants: Annotated[Path | None, typer.Option("--variants", help="Also write every variant with its cases to this Markdown file.")] = None,
    evidence: Annotated[bool, typer.Option("--evidence", help="Print the evidence of the cases instead of the map (or beside it, with -o).")] = False,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Format of the evidence.")] = ReportFormat.text,
    case: CaseOption = None,
    activity: ActivityOption = None,
    timestamp: TimestampOption = None,
    start: StartOption = None,
    resource: ResourceOption = None,
    lane: LaneOption = None,
    teams: TeamsOption = None,
    customer_activities: CustomerOption = None,
    memory_limit: MemoryOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files procmap did not write.")] = False,
) -> None:
    from procmap.io.yaml_writer import dumps
    from procmap.logs.discover import discover as discover_map
    from procmap.logs.engine import Engine
    from procmap.logs.evidence import evidence as find_evidence
    from procmap.logs.evidence import sections
    from procmap.logs.report import markdown, print_sections
    from procmap.output.write import write_text

    with Engine(memory_limit=memory_limit) as engine:
        log = open_log(log_path, engine, case=case, activity=activity, timestamp=timestamp,
                       start=start, resource=resource, lane=lane, teams=teams,
                       customer=customer_activities)
        facts = find_evidence(log) if evidence else None
        found = discover_map(log, coverage=coverage) if (output or variants or not evidence) else None
    console = err()
    if found is not None:
        text = dumps(found.process, header=f"Written by procmap discover from {log_path.name}")
        if output is not None:
            write_text(output, text, force=force)
            console.print(f"wrote {output}: {len(found.process.steps)} steps, "
                          f"{len(found.process.actors)} actors, {found.kept_cases} of "
                          f"{found.total_cases} cases", markup=False)
        elif facts is None:
            out().print(text, markup=False, end="")
        if variants is not None:
            write_text(variants, _variants_markdown(log_path.name, found), force=force)
            console.print(f"wrote {variants}: {len(found.variants)} variants", markup=False)
    if facts is not None:
        title = f"Evidence from {log_path.name}"
        if format is ReportFormat.json:
            out().print(json.dumps(facts.to_dict(), indent=2, ensure_ascii=False), markup=False)
        elif format is ReportFormat.markdown:
            out().print(markdown(title, sections(facts)), markup=False, end="")
        else:
            print_sections(out(), title, sections(facts))


def _variants_markdown(name: str, found) -> str:
    lines = [
        "<!-- Written by procmap discover -->",
        f"# Variants of {name}", "",
        f"{found.total_cases} cases, {len(found.variants)} variants.", "",
        "| # | cases | share | activities |", "|---:|---:|---:|---|",
    ]
    for i, v in enumerate(found.variants, 1):
        path = " → ".join(v.activities).replace("|", "\\|")
        lines.append(f"| {i} | {v.cases} | {100 * v.cases / found.total_cases:.1f}% | {path} |")
    return "\n".join(lines) + "\n"
