"""``procmap import``: a BPMN 2.0 file from another modeler, as a procmap map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import err, handles_errors, out

HELP = """Import a BPMN 2.0 file (Camunda, Signavio, Bizagi, ARIS, …) as a procmap map.

Lanes and pools become actors (a lane named like a customer becomes the
customer), tasks become steps (ids made from their names, or from their
kind where they have none: split-1, join-1, decision-1, task-1, start,
end; the BPMN id kept in bpmn-id), parallel gateways parallel steps,
diverging gateways decisions (an inclusive one with a note on how it was
read), events start, end and wait steps, sub-processes subprocess steps,
sequence and message flows flows. The contents of an expanded sub-process
become a map of their own (part-of the imported map, which calls it),
written beside the imported map. What cannot be mapped is listed as a
located warning; a file that gives no map (no BPMN namespace, an id used
twice, no process, nothing to map) is refused with its line.

Examples:

  procmap import order.bpmn -o order.yaml

  procmap import booking.bpmn -o maps/     (one map per process and sub-process)

  procmap import claims.bpmn --customer "policy ?holder" -o claims.yaml
"""


@handles_errors
def import_(
    file: Annotated[Path, typer.Argument(help="The BPMN 2.0 XML file.", metavar="FILE.bpmn", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The map file (.yaml) or a folder to write; standard output if left out.")] = None,
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
    header = f"Written by procmap import from {file.name}"
    if output is None:
        out().print(dumps(result.process, header=header), markup=False, end="")
        if result.children:
            console.print(f"warning: {len(result.children)} sub-process maps are written only "
                          "with -o", markup=False)
        return
    # a folder: one that exists, or a name without .yaml/.yml (made here)
    folder = output if output.is_dir() or output.suffix not in (".yaml", ".yml") else None
    if folder is not None and not folder.exists() and folder.parent.is_dir():
        folder.mkdir()
    target = folder / f"{result.process.process}.yaml" if folder else output
    write_text(target, dumps(result.process, header=header), force=force)
    console.print(f"wrote {target}: {len(result.process.steps)} steps, "
                  f"{len(result.process.actors)} actors, {len(result.warnings)} warnings", markup=False)
    for child in result.children:
        path = target.parent / f"{child.process}.yaml"
        write_text(path, dumps(child, header=header), force=force)
        console.print(f"wrote {path}: sub-process '{child.title}' of {child.part_of}, "
                      f"{len(child.steps)} steps", markup=False)
