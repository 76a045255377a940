"""``procmap merge``: the participants' maps of a workshop, merged, with a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import ReportFormat, err, handles_errors, out
from procmap.output.merge_formats import render_report
from procmap.workshop.merge import DEFAULT_THRESHOLD

HELP = f"""Merge the maps participants drew on their own (seed 003) into one map.

Steps are matched by id, else by a similar name in the same lane (similarity at
least --threshold, {DEFAULT_THRESHOLD:g} of 100 by default, after names are normalised), else as
--match says; two steps one participant drew are never joined. Elements not
everyone drew are marked seen-by. The merged map always loads: where
participants disagree it keeps what most drew, and a decision's branch
probabilities are the mean of those who gave numbers (adding up to 1). The
report gives the agreement per element type, what everyone saw, what only one
participant saw, and the conflicts to discuss with what each drew (lanes, kinds,
order, branches and their probabilities, durations, actor kinds, owner, level).
A participant is the map's author:, else its file name. The result does not
depend on the order of the files.

Examples:

  procmap merge ann.yaml bo.yaml cy.yaml -o merged.yaml

  procmap merge maps/*.yaml -o merged.yaml --report merge.md

  procmap merge a.yaml b.yaml -o merged.yaml --match create-crm-record=enter-customer-record
"""



@handles_errors
def merge(
    maps: Annotated[list[Path], typer.Argument(help="The participants' map files.", metavar="MAP",
                                               show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the merged map here.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the report here (.md: Markdown, .json: JSON).")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Format of the report on standard output.")] = ReportFormat.text,
    match: Annotated[list[str] | None, typer.Option("--match", "-m", help="Two step ids that are the same step: A=B. Repeatable.")] = None,
    threshold: Annotated[float, typer.Option("--threshold", min=50, max=100, help="How alike two step names must be to match (50-100).")] = DEFAULT_THRESHOLD,
    force: Annotated[bool, typer.Option("--force", help="Replace files procmap did not write.")] = False,
) -> None:
    from procmap.errors import LoadError
    from procmap.io.files import load_paths
    from procmap.io.yaml_writer import dumps
    from procmap.output.write import write_text
    from procmap.workshop.merge import Participant, participant_name
    from procmap.workshop.merge import merge as merge_maps

    pairs = []
    for text in match or []:
        a, sep, b = text.partition("=")
        if not sep or not a.strip() or not b.strip():
            raise typer.BadParameter(f"'{text}' is not two step ids joined by '='", param_hint="--match")
        pairs.append((a.strip(), b.strip()))
    loaded = load_paths(maps)
    if loaded.errors:
        raise LoadError(loaded.errors)
    people = [
        Participant(participant_name(p, Path(s.file).stem), p) for p, s in loaded.maps
    ]
    result = merge_maps(people, threshold=threshold, matches=pairs)
    if output is not None:
        header = ("Written by procmap merge from the maps of: " + ", ".join(result.participants)
                  + "\nElements not everyone drew are marked seen-by.")
        write_text(output, dumps(result.process, header=header), force=force)
        err().print(f"wrote {output}", markup=False)
    if report is not None:
        kind = {".md": ReportFormat.markdown, ".json": ReportFormat.json}.get(
            report.suffix.lower(), ReportFormat.text)
        write_text(report, render_report(result, kind, mark=True), force=force)
        err().print(f"wrote {report}", markup=False)
    if output is None or report is None:
        out().print(render_report(result, format), markup=False, end="")
