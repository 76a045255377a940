"""The ``procmap`` command line: a Typer app over the public API.

Each command lives in its own module with a ``HELP`` text and one function;
adding a command is one line in ``COMMANDS``.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

import procmap

HELP = """procmap: process maps as plain text, checked from the customer's point of view.

Maps are YAML files (one process each) or folders of them (a catalog).
Run 'procmap COMMAND --help' for a command's options and examples.
"""

# (command name, module under procmap.cli, function name)
COMMANDS: list[tuple[str, str, str]] = [
    ("check", "check", "check"),
    ("analyze", "analyze", "analyze"),
    ("trace", "trace", "trace"),
    ("diff", "diff", "diff"),
    ("merge", "merge", "merge"),
    ("new", "new", "new"),
    ("report", "report", "report"),
    ("render", "render", "render"),
    ("import", "import_", "import_"),
    ("export", "export", "export"),
    ("discover", "discover", "discover"),
    ("conform", "conform", "conform"),
    ("rules", "rules", "rules"),
    ("schema", "schema", "schema"),
]

app = typer.Typer(
    name="procmap",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"procmap {procmap.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """procmap: process maps as plain text, checked from the customer's point of view."""


for _name, _module, _function in COMMANDS:
    _mod = importlib.import_module(f"procmap.cli.{_module}")
    app.command(name=_name, help=_mod.HELP)(getattr(_mod, _function))


def run() -> None:
    """Entry point of the ``procmap`` console script."""
    app()
