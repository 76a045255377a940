"""The maps every diagram test runs on: the examples, a fork/join map and generated maps
across 8 lanes."""

from __future__ import annotations

import sys
from functools import cache

import procmap
from tests.conftest import ROOT, example_maps

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import map_text  # noqa: E402

GENERATED_SIZES = (20, 100, 500)
DOC_EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yaml"))

FORK_JOIN = """\
procmap: 1
process: claim-checks-in-parallel
name: Motor claim, checked in parallel
level: 3
owner: Claims
actors:
  customer: {kind: customer, name: Policy holder}
  claims: {kind: team, name: Claims}
  assessor: {kind: partner, name: Assessor}
  system: {kind: system, name: Claims system}
outcomes:
  paid: {name: Customer is paid for the damage}
steps:
  damage-reported:
    actor: customer
    kind: start
    name: Customer reports damage
    then: [register]
  register: {actor: claims, name: Register the claim, then: [start-checks]}
  start-checks:
    actor: claims
    kind: parallel
    name: Start the checks
    then: [check-cover, inspect-car, upload-photos]
  check-cover: {actor: claims, name: Check the policy cover, then: [score-fraud]}
  score-fraud: {actor: system, name: Score the claim for fraud, then: [checks-done]}
  inspect-car: {actor: assessor, name: Inspect the car, then: [write-estimate]}
  write-estimate: {actor: assessor, name: Write the repair estimate, then: [agree-estimate]}
  agree-estimate:
    actor: claims
    name: Agree the estimate with the assessor
    then: [checks-done]
  upload-photos:
    actor: customer
    name: Upload photos of the damage
    channel: app
    then: [checks-done]
  checks-done: {actor: claims, kind: parallel, then: [pay]}
  pay: {actor: system, name: Pay the claim, delivers: [paid], then: [money-received]}
  money-received: {actor: customer, kind: end, name: Customer receives the money}
"""
"""A claim whose checks run side by side: a named parallel step forks into three branches
of one, two and three steps across four lanes, and an unnamed one joins them."""
FORK_JOIN_BRANCHES = {
    "check-cover": ("check-cover", "score-fraud"),
    "inspect-car": ("inspect-car", "write-estimate", "agree-estimate"),
    "upload-photos": ("upload-photos",),
}
INLINE = {"fork-join": FORK_JOIN}


def diagram_inputs() -> list[str]:
    """Names of the maps to draw: example files, then ``generated-N``."""
    files = [str(p.relative_to(ROOT)) for p in [*example_maps(), *DOC_EXAMPLES]]
    return files + sorted(INLINE) + [f"generated-{n}" for n in GENERATED_SIZES]


@cache
def load_input(name: str) -> procmap.Process:
    if name in INLINE:
        return procmap.loads(INLINE[name])
    if name.startswith("generated-"):
        return procmap.loads(map_text(int(name.split("-")[1])))
    return procmap.load(ROOT / name)
