"""``procmap import``: a BPMN 2.0 file from another modeler, as a procmap map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import err, handles_errors, out

HELP = """Import a BPMN 2.0 file (Camunda, Signavio, Bizagi, ARIS, …) as a procmap map.

Lanes and pools become actors (a lane named like a customer becomes the
customer), tasks become steps, diverging gateways decisions, events start, end
and wait steps, sub-processes subprocess steps, sequence and message flows
flows. What cannot be mapped is listed as a located warning.

Examples:

  procmap import order.bpmn -o order.yaml

  procmap import claims.bpmn --customer "policy ?holder" -o claims.yaml
"""


@handles_errors
def import_(
    file: Annotated[Path, typer.Argument(help="The BPMN 2.0 XML file.", metavar="FILE.bpmn", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The map file to write; standard output if left out.")] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="A pattern (regular expression) for lane and pool names that stand for the customer.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a file procmap did not write.")] = False,
) -> None:
    from procmap.io.bpmn.reader import read_bpmn
    from procmap.io.yaml_writer import dumps
    from procmap.output.write import write_text

    result = read_bpmn(file, customer_pattern=customer)
    console = err()
    for warning in result.warnings:
        console.print(f"warning: {warning.message}", markup=False)
    text = dumps(result.process, header=f"Written by procmap import from {file.name}")
    if output is None:
        out().print(text, markup=False, end="")
        return
    write_text(output, text, force=force)
    console.print(f"wrote {output}: {len(result.process.steps)} steps, "
                  f"{len(result.process.actors)} actors, {len(result.warnings)} warnings", markup=False)
