"""The ``procmap`` command line: a Typer app over the public API.

Each command lives in its own module with a ``HELP`` text and one function;
adding a command is one line in ``COMMANDS``. A command's module is imported
only when that command runs (or its own help is asked for), so ``procmap
--help`` and every command start without loading what the others need.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from procmap.version import __version__

HELP = """procmap: process maps as plain text, checked from the customer's point of view.

Maps are YAML files (one process each) or folders of them (a catalog).
Run 'procmap COMMAND --help' for a command's options and examples.
"""

# (command name, module under procmap.cli, function name, the first line of its HELP)
COMMANDS: list[tuple[str, str, str, str]] = [
    ("check", "check", "check",
     "Check process maps and catalogs: load errors and rule findings, located by file and line."),
    ("analyze", "analyze", "analyze",
     "The outside-in scorecard of a map: what a workshop puts on the wall."),
    ("trace", "trace", "trace",
     "Trace a map working backwards (seed 000): why does this step exist?"),
    ("diff", "diff", "diff",
     "Compare an as-is map with a to-be map: what the redesign eliminated, improved and added."),
    ("merge", "merge", "merge",
     "Merge the maps participants drew on their own (seed 003) into one map."),
    ("new", "new", "new",
     "Build a map the way seed 000 teaches: from the outcomes backwards."),
    ("report", "report", "report",
     "Write one self-contained HTML report that a workshop can email and print."),
    ("render", "render", "render",
     "Draw a map as a swimlane diagram: SVG, PNG or Mermaid."),
    ("import", "import_", "import_",
     "Import a BPMN 2.0 file (Camunda, Signavio, Bizagi, ARIS, …) as a procmap map."),
    ("export", "export", "export",
     "Export a map as BPMN 2.0 XML with its diagram, for Camunda, Signavio, bpmn.io, …."),
    ("discover", "discover", "discover",
     "Discover the as-is map of an event log: what really happens, as a procmap map."),
    ("conform", "conform", "conform",
     "Hold a map (YAML or BPMN) against an event log: does reality follow the paper?"),
    ("rules", "rules", "rules",
     "List every rule, or show one: id, name, default severity and what it checks."),
    ("schema", "schema", "schema",
     "Write the JSON Schema of the map format, for editors to complete and check maps."),
    ("simulate", "simulate", "simulate",
     "Run a map under load: waits, queues, cost, and the customer's waits, with 95% intervals."),
    ("serve", "serve", "serve",
     "Open the workshop app: each participant maps alone, then the facilitator merges."),
]


def load_command(name: str) -> typer.core.TyperCommand:
    """The command ``name`` itself: its module imported and turned into a command."""
    _, module, function, _ = next(c for c in COMMANDS if c[0] == name)
    mod = importlib.import_module(f"procmap.cli.{module}")
    one = typer.Typer(add_completion=False, pretty_exceptions_enable=False,
                      rich_markup_mode="rich")
    one.command(name=name, help=mod.HELP)(getattr(mod, function))
    return typer.main.get_command(one)  # type: ignore[return-value]


class _Lazy(typer.core.TyperCommand):
    """A command listed by name and summary, loaded when it is run."""

    def __init__(self, name: str, summary: str) -> None:
        super().__init__(name=name, help=summary, short_help=summary)
        self._real: typer.core.TyperCommand | None = None

    @property
    def real(self) -> typer.core.TyperCommand:
        if self._real is None:
            self._real = load_command(self.name or "")
        return self._real

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Any = None, **extra: Any) -> Any:
        return self.real.make_context(info_name, args, parent=parent, **extra)

    def get_help(self, ctx: Any) -> str:
        return self.real.get_help(ctx)

    def get_params(self, ctx: Any) -> list[Any]:
        return self.real.get_params(ctx)


class _Commands(TyperGroup):
    """The ``procmap`` group: every command listed, none imported before it runs."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, _, _, summary in COMMANDS:
            self.commands.setdefault(name, _Lazy(name, summary))

    def list_commands(self, ctx: Any) -> list[str]:
        return [c[0] for c in COMMANDS]


app = typer.Typer(
    name="procmap",
    cls=_Commands,
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"procmap {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """procmap: process maps as plain text, checked from the customer's point of view."""


def run() -> None:
    """Entry point of the ``procmap`` console script."""
    app()
