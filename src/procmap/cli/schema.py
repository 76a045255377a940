"""``procmap schema``: write the JSON Schema of the map format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import err, handles_errors

HELP = """Write the JSON Schema of the map format, for editors to complete and check maps.

Examples:

  procmap schema -o procmap.schema.json

  Then, in VS Code with the YAML extension, put this first line in a map:
  # yaml-language-server: $schema=procmap.schema.json
"""


@handles_errors
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write; standard output if left out."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the file even if procmap did not write it.")
    ] = False,
) -> None:
    from procmap.io.schema import schema_text
    from procmap.output.write import write_text

    text = schema_text()
    if output is None or str(output) == "-":
        typer.echo(text, nl=False)
        return
    write_text(output, text, force=force)
    err().print(f"wrote {output}", markup=False)
