"""``procmap new --backwards``: build a map by working backwards from its outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import err, handles_errors

HELP = """Build a map the way seed 000 teaches: from the outcomes backwards.

It asks for the process and its outcomes (the customer's first), then for each
outcome "What do you need to make it happen?" and for each step "What do you
need before it?", until the answer is "nothing" (it starts here). Step names
already given are completed with Tab, and an answer that is the name of a step
already drawn links to that step, so shared needs are not drawn twice. Answer
"back" to undo the last answer, "rename OLD NEW" to rename a step (it asks to
confirm; "back" right after undoes only the rename), "stop" to save and go on
later: run the same command on the same file.

The result is an ordinary map with needs: edges.

Examples:

  procmap new --backwards -o onboarding.yaml

  procmap new --backwards -o onboarding.yaml --answers answers.yaml
"""


@handles_errors
def new(
    backwards: Annotated[bool, typer.Option("--backwards", help="Work backwards from the outcomes (the one way there is, for now).")] = False,
    output: Annotated[Path, typer.Option("--output", "-o", help="The map file to write (and to resume from).")] = Path("map.yaml"),
    answers: Annotated[Path | None, typer.Option("--answers", help="A YAML list of answers, one per question, instead of a person.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a file procmap did not write.")] = False,
) -> None:
    from procmap.errors import ConfigError
    from procmap.io.yaml_loader import load
    from procmap.io.yaml_writer import dumps
    from procmap.output.write import write_text
    from procmap.workshop.builder import Builder, Stop, to_process

    if not backwards:
        raise typer.BadParameter("say --backwards: procmap builds maps from the outcomes back",
                                 param_hint="--backwards")
    start = load(output) if output.exists() else None
    ask = _scripted(answers) if answers is not None else _interactive()
    builder = Builder(ask, start, tell=lambda text: err().print(text, markup=False))
    stopped = False
    try:
        builder.run()
    except Stop:
        stopped = True
    except _Exhausted:
        raise ConfigError(f"{answers}: the answers ran out before the questions did") from None
    if stopped and not builder.state.data.get("process"):
        raise ConfigError("stopped before the first answer: nothing to write (standard input "
                          "is closed or empty; give --answers, or run it in a terminal)")
    process = to_process(builder.state.data)
    header = "Written by procmap new --backwards" + (
        "\nStopped before the end: run the same command again to go on." if stopped else "")
    write_text(output, dumps(process, header=header), force=force)
    err().print(
        f"{'saved, to go on later,' if stopped else 'wrote'} {output}: {len(process.steps)} steps, "
        f"{len(process.outcomes)} outcomes",
        markup=False,
    )


class _Exhausted(Exception):
    """The answers file has no answer left."""


def _scripted(path: Path):  # type: ignore[no-untyped-def]
    from procmap.errors import ConfigError
    from procmap.io.yaml_loader import read_data

    items = read_data(path)  # located errors; an alias bomb stays as small as its text
    if not isinstance(items, list):
        raise ConfigError(f"{path}: the answers must be a YAML list, one answer per question")
    if any(isinstance(a, dict | list) for a in items):
        n = next(i for i, a in enumerate(items) if isinstance(a, dict | list)) + 1
        raise ConfigError(f"{path}: answer {n} is a list or a mapping; each answer is one line of text")
    queue = ["" if a is None else str(a) for a in items]

    def ask(question: str, names: list[str]) -> str:
        if not queue:
            raise _Exhausted
        answer = queue.pop(0)
        err().print(f"{question} {answer}", markup=False)
        return answer

    return ask


def _interactive():  # type: ignore[no-untyped-def]
    from prompt_toolkit import prompt
    from prompt_toolkit.completion import WordCompleter

    def ask(question: str, names: list[str]) -> str:
        completer = WordCompleter(sorted(names), sentence=True)
        try:
            return prompt(f"{question} ", completer=completer)
        except EOFError:
            return "stop"

    return ask
