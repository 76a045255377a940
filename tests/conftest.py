"""Shared fixtures: the repository root, the examples, small maps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files (tests/**/*.expected.txt) from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository root as the current folder, so paths print relative."""
    monkeypatch.chdir(ROOT)
    return ROOT


def example_maps() -> list[Path]:
    """Every map file under examples/ (answers files for the builder are no maps)."""
    return sorted(p for p in EXAMPLES.rglob("*.yaml") if not p.name.endswith(".answers.yaml"))


SMALL_MAP = """\
procmap: 1
process: small
name: Small process
level: 2
owner: Sales
actors:
  customer: {kind: customer, name: Customer}
  sales: {kind: team, name: Sales}
outcomes:
  served: {name: Customer is served}
steps:
  ask:
    kind: start
    actor: customer
    channel: web
    then: [answer]
  answer:
    actor: sales
    duration: 15m
    wait: 1h
    delivers: [served]
    then: [done]
  done: {kind: end, actor: sales}
"""


@pytest.fixture
def small_map(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_MAP, encoding="utf-8")
    return path


os.environ.setdefault("COLUMNS", "200")
