"""Shared fixtures: the repository root, the examples, small maps."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import procmap

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = Path(os.environ.get("PROCMAP_CORPUS", ROOT.parent / "shared" / "corpus"))
"""Real BPMN files and event logs written by other tools (shared/corpus beside the checkout)."""


def corpus_file(*parts: str) -> Path:
    """A file of the corpus; the test is skipped when the corpus is not there.

    ``tests/io/test_bpmn_import.py::test_the_corpus_is_there`` is the one test that
    fails then, and says where the corpus is looked for.
    """
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is missing: check out beside shared/ or set PROCMAP_CORPUS")
    return path


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


def matches_golden(golden: Path, text: str, update: bool) -> None:
    """Assert that ``text`` is the golden file's; with ``--update-golden``, write it
    instead and skip: a refreshed file is to be reviewed (``git diff``), and a run that
    writes the expectation can prove nothing, so it never passes."""
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        pytest.skip(f"rewrote {golden.name}: review the diff, then run without --update-golden")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden and review it"
    assert text == golden.read_text(encoding="utf-8")


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository root as the current folder, so paths print relative."""
    monkeypatch.chdir(ROOT)
    return ROOT


def example_maps() -> list[Path]:
    """Every map file under examples/: YAML with a ``procmap:`` line, as a catalog sees it.

    Answers files for the builder and other YAML are no maps. An empty list makes
    the tests parametrised over it report as skipped, not fail.
    """
    from procmap.io.files import _LOOKS_LIKE_MAP, find_map_files

    return [p for p in find_map_files(EXAMPLES) if _LOOKS_LIKE_MAP.search(p.read_text("utf-8"))]


def load_messages(load: Callable[[], object]) -> list[str]:
    """The located messages of the LoadError that ``load()`` raises, in order."""
    with pytest.raises(procmap.LoadError) as caught:
        load()
    return [e.message for e in caught.value.errors]


def unchecked(steps: dict[str, dict], **fields: object) -> procmap.Process:
    """A process of one team ``s`` built without the loader's checks (shapes it refuses)."""
    from procmap.model.process import Process

    data = {"procmap": 1, "process": "p", "actors": {"s": {"kind": "team"}}, "steps": steps}
    return Process.model_validate({**data, **fields})


def write_file(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``folder/name`` (making folders on the way) and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


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


# Flows written every way: then, needs, both, and branches (one also under then:).
FLOWS = """\
procmap: 1
process: flows
actors:
  customer: {kind: customer}
  sales: {kind: team}
  crm: {kind: system}
outcomes:
  done: {name: Done}
steps:
  a: {actor: customer, kind: start, then: [b]}
  b: {actor: sales, needs: [a]}
  c:
    actor: sales
    kind: decision
    needs: [b]
    then: [d]
    branches:
      yes: {to: d, probability: 0.7}
      no: e
  d: {actor: crm, then: [e], delivers: [done]}
  e: {actor: sales, kind: end, needs: [d]}
  lonely: {actor: crm}
"""


FULL_MAP = """\
# Every field of the format (DESIGN.md §2), for round trips and the schema.
procmap: 1
process: order-handling
name: Order handling
level: 3
owner: Customer Service
part-of: order-to-cash
author: Ann
note: |
  Drawn in the March workshop.
  Second line of the note.
actors:
  customer: {kind: customer, name: Customer, seen-by: [Ann, Bo]}
  service: {kind: team, name: Customer Service}
  erp: {kind: system, name: ERP, note: the old one}
  courier: {kind: partner}
outcomes:
  delivered: {name: Customer has the goods, for: customer}
  paid: {name: Order is paid, for: business, note: within 30 days, seen-by: [Ann]}
steps:
  order:
    kind: start
    actor: customer
    name: Place an order
    channel: web
    then: [check-stock]
  check-stock:
    actor: erp
    duration: 2m
    value: business
    fails: 0.02
  in-stock:
    kind: decision
    actor: service
    rule: Ship from stock when all items are there
    needs: [check-stock]
    branches:
      yes: {to: ship, probability: 0.9}
      no: {to: back-order, probability: 0.1}
  back-order:
    kind: subprocess
    actor: service
    calls: back-ordering
    wait: 1w2d
    then: ship
  ship:
    actor: courier
    with: [customer]
    channel: in-person
    duration: 1h30m
    wait: 2 days
    delivers: [delivered]
    then: [invoice]
  invoice:
    actor: erp
    kind: wait
    delivers: paid
    value: none
    note: "Yes: invoices wait for the payment run, {always}"
    seen-by: [Bo]
  done: {kind: end, actor: service, needs: [invoice]}
"""


@pytest.fixture
def small_map(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_MAP, encoding="utf-8")
    return path


os.environ.setdefault("COLUMNS", "200")
