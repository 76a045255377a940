"""``procmap new --backwards``: the builder, scripted and in a real pseudo-terminal."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

import procmap
from procmap.builder import Builder, Stop, to_process
from procmap.cli.main import app
from tests.cli.builder_oracle import oracle
from tests.conftest import EXAMPLES

ONBOARDING = EXAMPLES / "customer-onboarding.yaml"
ANSWERS = EXAMPLES / "onboarding-backwards.answers.yaml"
runner = CliRunner()


def assert_rebuilt(built: procmap.Process, original: procmap.Process) -> None:
    """Same outcomes, same steps in the same lanes, same edges."""
    assert built.outcomes == original.outcomes
    assert {s: st.actor for s, st in built.steps.items()} == {
        s: st.actor for s, st in original.steps.items()
    }
    assert {(f.source, f.target) for f in built.flows} == {
        (f.source, f.target) for f in original.flows
    }
    assert {s for s, st in built.steps.items() if st.delivers} == {
        s for s, st in original.steps.items() if st.delivers
    }


def test_answers_file_rebuilds_the_onboarding_example(tmp_path: Path) -> None:
    out = tmp_path / "onboarding.yaml"
    result = runner.invoke(app, ["new", "--backwards", "-o", str(out), "--answers", str(ANSWERS)])
    assert result.exit_code == 0, result.output
    built = procmap.load(out)
    assert_rebuilt(built, procmap.load(ONBOARDING))
    assert all(not s.then and not s.branches for s in built.steps.values())  # needs: edges only
    assert built.steps["order-signed"].kind.value == "start"
    assert built.steps["onboarded"].kind.value == "end"
    assert runner.invoke(app, ["check", str(out)]).exit_code == 0


def scripted(answers: list[str]):  # type: ignore[no-untyped-def]
    queue = list(answers)
    return lambda question, names: queue.pop(0)


HEAD = ["quote", "Quote", "Sales", "2", "sent: Customer has a quote", "", ""]


def test_back_rename_stop_and_resume(tmp_path: Path) -> None:
    answers = [*HEAD,
               "send-quote: Send the quote", "sales: Sales", "team", "",
               "write-quote", "back",            # undo: ask again what send-quote needs
               "prepare-quote: Prepare the quote", "sales", "",
               "rename prepare-quote draft-quote",
               "stop"]
    builder = Builder(scripted(answers))
    with pytest.raises(Stop):
        builder.run()
    process = to_process(builder.state.data)
    assert "write-quote" not in process.steps
    assert process.steps["send-quote"].needs == ("draft-quote",)
    path = tmp_path / "quote.yaml"
    path.write_text(procmap.dumps(process), encoding="utf-8")

    resumed = Builder(scripted(["request: Customer asks for a quote", "customer", "customer", "",
                                "nothing", ""]), procmap.load(path))
    resumed.run()
    done = to_process(resumed.state.data)
    assert done.steps["draft-quote"].needs == ("request",)
    assert done.steps["request"].kind.value == "start"
    assert done.steps["send-quote"].delivers == ("sent",)


def test_answers_that_run_out_exit_2(tmp_path: Path) -> None:
    answers = tmp_path / "few.yaml"
    answers.write_text("- quote\n- Quote\n", encoding="utf-8")
    out = tmp_path / "quote.yaml"
    result = runner.invoke(app, ["new", "--backwards", "-o", str(out), "--answers", str(answers)])
    assert result.exit_code == 2
    assert "the answers ran out before the questions did" in result.output
    assert not out.exists()


def test_new_needs_backwards(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "--backwards" in result.output


QUESTION = re.compile(r"(?:\x1b\[[0-9;?]*[A-Za-z])*([^\r\n\x1b]*[?)]) ?\x1b\[0m")


@pytest.mark.slow
def test_interactive_session_in_a_pseudo_terminal(tmp_path: Path) -> None:
    """A person at a terminal (prompt_toolkit in a pty), answering as the example says."""
    original = procmap.load(ONBOARDING)
    ask, given = oracle(original)
    out = tmp_path / "onboarding.yaml"
    script = Path(sys.executable).parent / "procmap"
    child = pexpect.spawn(str(script), ["new", "--backwards", "-o", str(out)],
                          env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
                          encoding="utf-8", timeout=30, dimensions=(50, 200))

    def settle() -> str | None:
        """Everything the screen shows until it is quiet: the prompt now waiting."""
        seen = ""
        while True:
            try:
                seen += child.read_nonblocking(100_000, timeout=0.15)
            except pexpect.TIMEOUT:
                return seen
            except pexpect.EOF:
                return None

    while (screen := settle()) is not None:
        questions = QUESTION.findall(screen)
        if questions:
            child.sendline(ask(questions[-1].strip(), []))
        assert len(given) < 500, "the session does not end"
    child.close()
    assert child.exitstatus == 0
    assert_rebuilt(procmap.load(out), original)
