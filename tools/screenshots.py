"""Regenerate the screenshots in docs/img: each example's report at 100% zoom, in Chromium.

Run with ``make screenshots``. The report is opened as a user would, at a
1400 × 900 window; the shot shows the head of the report (scorecard tiles, the
overlay switches and the diagram).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from procmap.cli.main import app  # noqa: E402
from tests.diagram.browser import chromium  # noqa: E402

REPORTS = {
    "report-customer-onboarding.png": "examples/customer-onboarding.yaml",
    "report-lead-to-cash.png": "examples/lead-to-cash.yaml",
    "report-marketing-catalog.png": "examples/marketing",
}


def main() -> None:
    out = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        for name, source in REPORTS.items():
            html = Path(tmp) / (Path(name).stem + ".html")
            result = CliRunner().invoke(app, ["report", str(ROOT / source), "-o", str(html)])
            if result.exit_code != 0:
                raise SystemExit(result.output)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(html.as_uri())
            page.screenshot(path=str(out / name))
            page.close()
            print(f"wrote docs/img/{name}")


if __name__ == "__main__":
    main()
