"""The HTML report's what-if section: maps that say their arrivals are run."""

from __future__ import annotations

import procmap
from procmap.output.html_report import histogram_svg


def test_a_map_with_arrivals_gets_a_what_if_section() -> None:
    html, _ = procmap.report([(procmap.load("examples/simulate/claims-as-is.yaml"), None)])
    section = html.split("What-if: the map under load", 1)[1].split("Eliminate or improve first")[0]
    for caption in ("Per case", "Lanes", "Moments of Truth: the customer&#39;s wait before each",
                    "Break Points: the delay at each hand-off"):
        assert f"<caption>{caption}</caption>" in section
    assert "Claims handling (bottleneck)" in section
    assert section.count("<svg") == 2 and "Cycle time per case (hours)" in section


def test_a_map_without_arrivals_gets_none() -> None:
    html, _ = procmap.report([(procmap.load("examples/customer-onboarding.yaml"), None)])
    assert "What-if" not in html


def test_histogram_bars_follow_the_counts() -> None:
    svg = histogram_svg([0, 1, 2, 3], [1, 4, 2])
    heights = [float(part.split('height="')[1].split('"')[0]) for part in svg.split("<rect")[1:]]
    assert heights == [30.0, 120.0, 60.0]
