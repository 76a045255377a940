"""Bounded fuzzing of the readers: whatever the bytes, a result or a located refusal, never a bug.

Each reader gets mutations of a small valid input (cut, doubled, bytes changed or
inserted, markup characters sprinkled) and free text; a few dozen examples each, so
the package stays fast.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.errors import ConfigError, LoadError, MapError
from tests.conftest import SMALL_MAP
from tests.hostile import inputs

runner = CliRunner()
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
LOGS = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
NOISE = st.sampled_from([b"<", b">", b"&", b'"', b"'", b"\x00", b"\xff", b"\n", b"-", b":",
                         b"&amp;", b"<!DOCTYPE x>", b"*a", b"&a ", b"{", b"[", b",", b"\xe9"])


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` changed a few times: cut, spliced, bytes replaced or inserted."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["cut", "insert", "replace", "double"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "cut":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(NOISE | st.binary(min_size=1, max_size=8))
        elif action == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = data[at:at + draw(st.integers(1, 200))]
    return bytes(data)


@FUZZ
@given(mutated(SMALL_MAP.encode()) | st.text(max_size=300).map(str.encode))
def test_the_yaml_reader_answers_or_refuses(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        procmap.loads(text, file="fuzz.yaml")
    except LoadError as exc:
        assert exc.errors and all(e.message for e in exc.errors)


BPMN = inputs.bpmn('<startEvent id="s"/><task id="a" name="Check &amp; approve"/>'
                   '<exclusiveGateway id="g"/><task id="b" name="B"/><endEvent id="e"/>'
                   + "".join(f'<sequenceFlow id="f{n}" sourceRef="{x}" targetRef="{y}"/>'
                             for n, (x, y) in enumerate([("s", "a"), ("a", "g"), ("g", "b"),
                                                         ("g", "e"), ("b", "e")]))).encode()


@FUZZ
@given(mutated(BPMN))
def test_the_bpmn_reader_answers_or_refuses(data: bytes) -> None:
    try:
        procmap.read_bpmn_bytes(data, file="fuzz.bpmn")
    except (LoadError, ConfigError) as exc:
        assert str(exc)


XES = (b'<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n'
       + b"".join(b'<trace><string key="concept:name" value="c%d"/>'
                  b'<event><string key="concept:name" value="Ask"/>'
                  b'<date key="time:timestamp" value="2026-01-0%dT10:00:00+00:00"/></event>'
                  b'<event><string key="concept:name" value="Answer"/>'
                  b'<date key="time:timestamp" value="2026-01-0%dT12:00:00+00:00"/></event></trace>\n'
                  % (k, k, k) for k in range(1, 4))
       + b"</log>\n")


def _discover(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        result = runner.invoke(app, ["discover", str(path), "--memory-limit", "512MB"])
        assert result.exit_code in (0, 2), result.output
        assert "internal error" not in result.output


@LOGS
@given(mutated(inputs.SMALL_LOG.encode()))
def test_the_csv_reader_answers_or_refuses(data: bytes) -> None:
    _discover(data, ".csv")


@LOGS
@given(mutated(XES))
def test_the_xes_reader_answers_or_refuses(data: bytes) -> None:
    _discover(data, ".xes")


def test_the_mutations_reach_refusals() -> None:
    """The fuzzing is not vacuous: a cut BPMN is refused with a location."""
    try:
        procmap.read_bpmn_bytes(BPMN[: len(BPMN) // 2], file="cut.bpmn")
    except (LoadError, MapError) as exc:
        assert "cut.bpmn:" in str(exc)
    else:  # pragma: no cover - the test's own premise
        raise AssertionError("half a BPMN file was read")
