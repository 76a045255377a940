"""What every command shares: consoles, the error boundary, input loading."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from procmap.errors import LoadError, ProcmapError
from procmap.output.formats import ReportFormat  # noqa: F401 - the commands' --format

if TYPE_CHECKING:
    from procmap.config import Config

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class TextOrJson(StrEnum):
    """Output formats of commands that report load results."""

    text = "text"
    json = "json"


PIPE_WIDTH = 160
MAX_SHOWN = 1000
"""Problems printed at most; the rest are counted."""


def out() -> Console:
    """The console for a command's results (standard output).

    Written to a file or a pipe, lines may be as wide as ``PIPE_WIDTH`` (or
    ``COLUMNS``) rather than a terminal's 80, so that nothing is cut.
    """
    console = Console(highlight=False, soft_wrap=True, emoji=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
    return console


def err() -> Console:
    """The console for messages about the run (standard error)."""
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def print_error(exc: ProcmapError) -> None:
    """Say what went wrong, one located line per problem, on standard error."""
    console = err()
    if isinstance(exc, LoadError):
        total = 0
        for n, error in enumerate(exc.errors):
            count = getattr(error, "count", None)
            total += count if isinstance(count, int) else 1
            if n < MAX_SHOWN:
                console.print(error.message, markup=False)
        if len(exc.errors) > MAX_SHOWN:
            console.print(f"… and {len(exc.errors) - MAX_SHOWN:,} more messages, not shown",
                          markup=False)
        if total > 1:
            console.print(f"{total:,} problems", markup=False, style="bold red")
    else:
        console.print(f"procmap: {exc}", markup=False)


OUTPUT_OPTIONS = ("output", "report", "variants", "log_out")
"""The parameters through which commands name the files they write."""
EXIT_INTERRUPTED = 130


def handles_errors(func: F) -> F:
    """Turn procmap's errors into messages and exit code 2, and bugs into exit 3.

    No traceback reaches the user unless ``PROCMAP_DEBUG`` is set. The command's
    file writes are all or nothing (:func:`procmap.output.write.command_writes`),
    and no output may name one of its inputs or another output. Ctrl-C (or a
    SIGTERM) stops it with exit 130, leaving no temporary file.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from procmap.output.write import check_outputs, command_writes, note_input

        previous = _stop_on_sigterm()
        try:
            with command_writes():
                outputs, inputs = _paths(kwargs)
                check_outputs(outputs, inputs)
                for path in inputs:
                    note_input(path)
                return func(*args, **kwargs)
        except ProcmapError as exc:
            print_error(exc)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise  # usage errors: Click prints them and exits 2
        except KeyboardInterrupt:
            err().print("procmap: stopped", markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except EOFError:
            err().print("procmap: the input ended before procmap had what it needed "
                        "(standard input is closed or empty)", markup=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except MemoryError:
            err().print("procmap: the input needs more memory than there is", markup=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except OSError as exc:  # a full disk, a file that vanished: not a bug in procmap
            where = f"{exc.filename}: " if exc.filename else ""
            err().print(f"procmap: {where}{exc.strerror or exc}", markup=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:  # a bug in procmap, not the user's fault
            if _interrupted():  # the engine's query, stopped by Ctrl-C
                err().print("procmap: stopped", markup=False)
                raise typer.Exit(EXIT_INTERRUPTED) from None
            if os.environ.get("PROCMAP_DEBUG"):
                raise
            err().print(
                f"procmap: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in procmap. Run again with PROCMAP_DEBUG=1 to see where.",
                markup=False,
            )
            raise typer.Exit(EXIT_INTERNAL) from None
        finally:
            _restore_sigterm(previous)

    return wrapper  # type: ignore[return-value]


def _interrupted() -> bool:
    import sys

    engine = sys.modules.get("procmap.mining.engine")
    return bool(engine is not None and engine.interrupted())


def _paths(kwargs: dict[str, Any]) -> tuple[dict[str, Path], list[Path]]:
    """The files a command writes (by option) and the ones it reads."""
    outputs: dict[str, Path] = {}
    inputs: list[Path] = []
    for name, value in kwargs.items():
        if isinstance(value, Path):
            if name in OUTPUT_OPTIONS:
                outputs["--" + name.replace("_", "-")] = value
            else:
                inputs.append(value)
        elif isinstance(value, list | tuple):
            inputs.extend(v for v in value if isinstance(v, Path))
    return outputs, inputs


def _stop_on_sigterm() -> Any:
    """Make SIGTERM stop the command like Ctrl-C, so its temporary files are removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):
        return None


def _restore_sigterm(previous: Any) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="procmap.toml or pyproject.toml to read. [default: the nearest one]",
        show_default=False,
    ),
]


def resolve_config(path: Path | None, inputs: list[Path]) -> Config:
    """The configuration named, else the nearest to the first input, else the current folder."""
    from procmap.config import find_config, load_config

    if path is not None:
        return load_config(path)
    for start in [*(p for p in inputs if p.exists()), Path.cwd()]:
        found = find_config(start)
        if found is not None:
            return load_config(found)
    return load_config(None, search_from=Path.cwd())
