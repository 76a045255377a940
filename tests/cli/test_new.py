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
from procmap.cli.main import app
from procmap.workshop.builder import Builder, Stop, to_process
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
               "rename prepare-quote draft-quote", "yes",
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
                                "nothing", "yes", ""]), procmap.load(path))
    resumed.run()
    done = to_process(resumed.state.data)
    assert done.steps["draft-quote"].needs == ("request",)
    assert done.steps["request"].kind.value == "start"
    assert done.steps["send-quote"].delivers == ("sent",)


def recorded(answers: list[str]):  # type: ignore[no-untyped-def]
    """A scripted ``ask`` that also keeps each question with the names offered to complete."""
    queue, asked = list(answers), []

    def ask(question: str, names: list[str]) -> str:
        asked.append((question, names))
        return queue.pop(0)

    return ask, asked


QUOTE = [*HEAD, "send-quote: Send the quote", "sales: Sales", "team", ""]
"""Up to the question what 'Send the quote' needs."""


def test_completion_offers_step_names_and_an_exact_name_links_to_the_step() -> None:
    ask, asked = recorded(["quote", "Quote", "Sales", "2",
                           "sent: Customer has a quote", "called: Customer was called", "", "",
                           "send-quote: Send the quote", "sales: Sales", "team", "",
                           "call-customer: Call the customer", "sales", "",
                           "Prepare the quote", "sales", "",   # what the quote needs: a new step
                           "send the QUOTE", "",                # what the call needs: drawn already
                           "nothing", "no",                     # the quote is the first work
                           ""])
    builder = Builder(ask)
    builder.run()
    process = to_process(builder.state.data)
    assert sorted(process.steps) == ["call-customer", "prepare-the-quote", "send-quote"]
    assert process.steps["call-customer"].needs == ("send-quote",)  # linked, not drawn twice
    # a case begins with the first work; it is not turned into a start event
    assert process.steps["prepare-the-quote"].kind.value == "task"
    assert any(q.startswith("Is 'Prepare the quote' the event that starts a case") for q, _ in asked)
    names = next(n for q, n in asked if q.startswith("What do you need before 'Call"))
    assert {"Send the quote", "Call the customer", "Prepare the quote", "send-quote"} <= set(names)


def test_rename_asks_to_confirm_and_back_undoes_only_the_rename() -> None:
    ask, asked = recorded([*QUOTE,
                           "prepare-quote: Prepare the quote", "sales",
                           "rename prepare-quote draft-quote", "no",   # not confirmed: nothing
                           "rename prepare-quote draft-quote", "yes",
                           "back",                                     # undoes the rename only
                           "", "nothing", "stop"])
    told: list[str] = []
    builder = Builder(ask, tell=told.append)
    with pytest.raises(Stop):
        builder.run()
    process = to_process(builder.state.data)
    assert process.steps["send-quote"].needs == ("prepare-quote",)  # the answer before stays
    assert "draft-quote" not in process.steps
    confirms = [q for q, _ in asked if q.startswith("Rename step")]
    assert confirms == ["Rename step 'prepare-quote' to 'draft-quote' everywhere? (yes/no)"] * 2
    # the question the renames were answered at is put again after each, and after the undo
    assert [q for q, _ in asked].count(
        "What else do you need before 'Send the quote'? (empty: nothing more)") == 4
    assert told == ["renamed 'prepare-quote' to 'draft-quote' (back: undo)",
                    "back: 'draft-quote' is 'prepare-quote' again"]


def test_a_rename_that_cannot_be_done_says_why() -> None:
    told: list[str] = []
    builder = Builder(scripted([*QUOTE, "rename nope x", "rename send-quote two words here",
                                "rename send-quote a/b", "stop"]), tell=told.append)
    with pytest.raises(Stop):
        builder.run()
    assert "send-quote" in builder.state.data["steps"]
    assert told == ["there is no step 'nope' to rename", "say: rename OLD-ID NEW-ID",
                    "'a/b' is no id: letters, digits and - _ . : only, no spaces"]


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


@pytest.mark.slow
def test_tab_completes_a_step_name_in_a_pseudo_terminal(tmp_path: Path) -> None:
    """Typed at a terminal: 'Send t' and Tab is the step 'Send the quote', linked, not new."""
    out = tmp_path / "quote.yaml"
    script = Path(sys.executable).parent / "procmap"
    child = pexpect.spawn(str(script), ["new", "--backwards", "-o", str(out)],
                          env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
                          encoding="utf-8", timeout=30, dimensions=(50, 200))
    for question, answer in [
        ("Process id", "quote"), ("Name of the process", "Quote"), ("owns it", "Sales"),
        ("Level", "2"), ("customer have", "sent: Customer has a quote"),
        ("customer have", "called: Customer was called"), ("customer have", ""),
        ("business have", ""),
        ("make 'Customer has a quote' happen", "send-quote: Send the quote"),
        ("Who does 'Send the quote'", "sales: Sales"), ("What kind of actor", "team"),
        ("What else makes", ""),
        ("make 'Customer was called' happen", "call-customer: Call the customer"),
        ("Who does 'Call the customer'", "sales"), ("What else makes", ""),
        ("need before 'Send the quote'", "nothing"),
        ("the event that starts a case", "no"),
    ]:
        child.expect_exact(question)
        child.sendline(answer)
    child.expect_exact("need before 'Call the customer'")
    child.send("Send t")
    child.expect_exact(" Send the quote ")  # offered as the answer is typed
    child.send("\t")
    child.expect_exact("he quote")  # Tab completes what was typed
    child.sendline("")
    for question, answer in [("What else do you need before", ""), ("How does the process end", "")]:
        child.expect_exact(question)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    built = procmap.load(out)
    assert sorted(built.steps) == ["call-customer", "send-quote"]
    assert built.steps["call-customer"].needs == ("send-quote",)
