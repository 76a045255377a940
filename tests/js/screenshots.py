"""Regenerate docs/img/bpmn-<example>.png: each example's export as bpmn-js draws it.

Usage: .venv/bin/python tests/js/screenshots.py   (or: make screenshots)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.js.export import show  # noqa: E402


def examples() -> list[Path]:
    """The example maps (examples/, examples/marketing/, docs/examples/)."""
    found = [*sorted((ROOT / "examples").glob("*.yaml")),
             *sorted((ROOT / "examples" / "marketing").glob("*.yaml")),
             *sorted((ROOT / "docs" / "examples").glob("*.yaml"))]
    return [p for p in found if "\nprocmap: 1" in "\n" + p.read_text("utf-8")]


def main() -> None:
    import procmap
    from procmap.io.bpmn.writer import export_bpmn

    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for example in examples():
            path = Path(tmp) / f"bpmn-{example.stem}.bpmn"
            path.write_bytes(export_bpmn(procmap.load(example)))
            files.append(path)
        shown = show(files, Path(tmp))
        for path in files:
            png = Path(shown[path.name]["png"])
            shutil.copyfile(png, out / png.name)
            print(f"wrote docs/img/{png.name}: {shown[path.name]['shapes']} elements drawn, "
                  f"{len(shown[path.name]['warnings'])} import warnings")


if __name__ == "__main__":
    main()
