"""procmap: process maps as plain text, checked from the customer's point of view.

The public API; the CLI is a thin layer over it.

Example:
    >>> import procmap
    >>> process = procmap.load("examples/customer-onboarding.yaml")  # doctest: +SKIP
    >>> sorted(process.outcomes)  # doctest: +SKIP
    ['excited', 'informed', 'pays-on-time']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmap.version import __version__

__all__ = [
    "Catalog",
    "Finding",
    "Severity",
    "analyze",
    "check",
    "conform",
    "discover",
    "LogOptions",
    "open_log",
    "weigh",
    "diff",
    "simulate",
    "merge",
    "report",
    "read_bpmn_bytes",
    "LoadError",
    "MapError",
    "Process",
    "ProcmapError",
    "SourceLocation",
    "__version__",
    "dumps",
    "export_bpmn",
    "load",
    "load_catalog",
    "loads",
    "read_bpmn",
    "render",
]

if TYPE_CHECKING:
    from procmap.analysis.linter import check
    from procmap.analysis.scorecard import analyze
    from procmap.diagram import render
    from procmap.errors import LoadError, MapError, ProcmapError, SourceLocation
    from procmap.findings import Finding, Severity
    from procmap.io.bpmn.reader import read_bpmn, read_bpmn_bytes
    from procmap.io.bpmn.writer import export_bpmn
    from procmap.io.files import load_catalog
    from procmap.io.yaml_loader import load, loads
    from procmap.io.yaml_writer import dumps
    from procmap.mining.conform import conform
    from procmap.mining.discover import discover
    from procmap.mining.options import LogOptions, open_log
    from procmap.mining.weigh import weigh
    from procmap.model.catalog import Catalog
    from procmap.model.process import Process
    from procmap.output.html_report import report
    from procmap.workshop.diff import diff_maps as diff
    from procmap.workshop.merge import merge

_LAZY = {
    "LoadError": "procmap.errors",
    "MapError": "procmap.errors",
    "ProcmapError": "procmap.errors",
    "SourceLocation": "procmap.errors",
    "load": "procmap.io.yaml_loader",
    "loads": "procmap.io.yaml_loader",
    "dumps": "procmap.io.yaml_writer",
    "read_bpmn": "procmap.io.bpmn.reader",
    "read_bpmn_bytes": "procmap.io.bpmn.reader",
    "export_bpmn": "procmap.io.bpmn.writer",
    "Catalog": "procmap.model.catalog",
    "load_catalog": "procmap.io.files",
    "Process": "procmap.model.process",
    "Finding": "procmap.findings",
    "Severity": "procmap.findings",
    "check": "procmap.analysis.linter",
    "analyze": "procmap.analysis.scorecard",
    "render": "procmap.diagram",
    "open_log": "procmap.mining.options",
    "LogOptions": "procmap.mining.options",
    "discover": "procmap.mining.discover",
    "conform": "procmap.mining.conform",
    "weigh": "procmap.mining.weigh",
    "merge": "procmap.workshop.merge",
    "diff": "procmap.workshop.diff:diff_maps",
    "simulate": "procmap.simulation:simulate",
    "report": "procmap.output.html_report",
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use, so ``import procmap`` stays cheap."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'procmap' has no attribute '{name}'")
    import importlib

    module, _, attribute = module.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value
