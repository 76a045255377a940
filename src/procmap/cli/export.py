"""``procmap export``: a map as BPMN 2.0 XML, laid out, for other modelers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import err, handles_errors, out


class CustomerAs(StrEnum):
    pool = "pool"
    lane = "lane"


HELP = """Export a map as BPMN 2.0 XML with its diagram, for Camunda, Signavio, bpmn.io, ….

The organisation's actors become the lanes of one pool; the customer gets a
pool of its own, and flows between the customer and the organisation become
message flows (or, with --customer-as lane, the customer is the top lane).
Decisions become exclusive gateways, parallel steps parallel gateways, start
and end steps events, waits timer events, subprocesses call activities; an
imported step keeps its BPMN id (bpmn-id). procmap's own fields (durations,
waits, failure chances, rules, outcomes, …) travel as extension elements, so
'procmap import' gives the map back.

Examples:

  procmap export examples/customer-onboarding.yaml -o onboarding.bpmn

  procmap export examples/lead-to-cash.yaml --customer-as lane -o lead-to-cash.bpmn
"""


@handles_errors
def export(
    file: Annotated[Path, typer.Argument(help="The map (YAML or BPMN).", metavar="MAP", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The BPMN file to write; standard output if left out.")] = None,
    customer_as: Annotated[CustomerAs, typer.Option("--customer-as", help="The customer as a pool of its own with message flows, or as a lane.")] = CustomerAs.pool,
    force: Annotated[bool, typer.Option("--force", help="Replace a file procmap did not write.")] = False,
) -> None:
    import procmap
    from procmap.io.bpmn.writer import export_bpmn
    from procmap.output.write import write_text

    process = procmap.load(file)
    text = export_bpmn(process, customer_as=customer_as.value).decode("utf-8")
    if output is None:
        out().print(text, markup=False, end="")
        return
    write_text(output, text, force=force)
    err().print(f"wrote {output}: {len(process.steps)} steps, {len(process.actors)} actors, "
                f"customer as {customer_as.value}", markup=False)
