"""Output does not depend on Python's hash seed: the same bytes under PYTHONHASHSEED=1 and 2.

Sets and dicts of strings iterate in an order that changes with the seed; output
that follows such an order changes from one run to the next. Each seed runs in a
process of its own and writes every output of every example map (SVG, Mermaid,
BPMN with the customer as pool and as lane, the HTML report of the examples' catalog, the scorecard and the
findings as JSON, and the map discovered from the example log); the files must be
byte for byte the same.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, example_maps

MAPS = [*example_maps(), *sorted((ROOT / "docs" / "examples").glob("*.yaml"))]
LOG = EXAMPLES / "logs" / "customer-onboarding.csv"

WRITE_ALL = """
import sys
from pathlib import Path
from typer.testing import CliRunner
from procmap.cli.main import app

out, log, folder, *maps = sys.argv[1:]
out = Path(out)
runner = CliRunner()

def run(*args):
    result = runner.invoke(app, [*args, "--force"] if "-o" in args else list(args))
    if result.exit_code not in (0, 1):
        sys.exit(f"procmap {' '.join(args)}: exit {result.exit_code}\\n{result.output}")
    return result.stdout

for i, path in enumerate(maps):
    stem = f"{i:02d}-{Path(path).stem}"
    run("render", path, "-o", str(out / f"{stem}.svg"))
    run("render", path, "--format", "mmd", "-o", str(out / f"{stem}.mmd"))
    for mode in ("pool", "lane"):
        run("export", path, "--customer-as", mode, "-o", str(out / f"{stem}-{mode}.bpmn"))
    (out / f"{stem}-analyze.json").write_text(run("analyze", path, "--format", "json"))
    (out / f"{stem}-check.json").write_text(run("check", path, "--format", "json"))
run("report", folder, "-o", str(out / "report.html"))
run("discover", log, "-o", str(out / "discovered.yaml"))
"""


def outputs(seed: str, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", WRITE_ALL, str(folder), str(LOG),
                           str(EXAMPLES), *map(str, MAPS)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_every_output_is_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    one = outputs("1", tmp_path / "seed-1")
    two = outputs("2", tmp_path / "seed-2")
    assert len(one) == 6 * len(MAPS) + 2 and set(one) == set(two)
    differ = [name for name in one if one[name] != two[name]]
    if differ:
        first = differ[0]
        diff = difflib.unified_diff(one[first].decode("utf-8", "replace").splitlines(),
                                    two[first].decode("utf-8", "replace").splitlines(),
                                    "PYTHONHASHSEED=1", "PYTHONHASHSEED=2", lineterm="", n=1)
        pytest.fail(f"{len(differ)} outputs differ ({', '.join(differ)}); {first}:\n"
                    + "\n".join(list(diff)[:40]))
