"""The maps every diagram test runs on: the examples and generated maps across 8 lanes."""

from __future__ import annotations

import sys
from functools import cache

import procmap
from tests.conftest import ROOT, example_maps

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import map_text  # noqa: E402

GENERATED_SIZES = (20, 100, 500)
DOC_EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yaml"))


def diagram_inputs() -> list[str]:
    """Names of the maps to draw: example files, then ``generated-N``."""
    files = [str(p.relative_to(ROOT)) for p in [*example_maps(), *DOC_EXAMPLES]]
    return files + [f"generated-{n}" for n in GENERATED_SIZES]


@cache
def load_input(name: str) -> procmap.Process:
    if name.startswith("generated-"):
        return procmap.loads(map_text(int(name.split("-")[1])))
    return procmap.load(ROOT / name)
