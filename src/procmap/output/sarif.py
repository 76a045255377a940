"""Findings as SARIF 2.1.0, so code hosts show them inline on the map files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from procmap.errors import MapError
from procmap.findings import Finding, Severity
from procmap.rules.base import Rule
from procmap.version import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(file: str) -> str:
    path = Path(file)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _location(file: str | None, line: int, column: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file or "")}}
    if line:
        physical["region"] = {"startLine": line, **({"startColumn": column} if column else {})}
    return {"physicalLocation": physical}


def sarif_log(
    findings: Sequence[Finding], rules: Sequence[Rule], errors: Sequence[MapError] = ()
) -> dict[str, Any]:
    """A SARIF log with one run: the rules that ran, one result per finding or load error."""
    descriptors = []
    index = {}
    for i, rule in enumerate(rules):
        doc = rule.doc()
        index[rule.id] = i
        descriptors.append(
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": doc.summary},
                "fullDescription": {"text": doc.sections.get("Why", doc.summary)},
                "help": {"text": doc.sections.get("Fix", "")},
                "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
            }
        )
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "partialFingerprints": {"procmap/v1": f.fingerprint},
            "properties": {"process": f.process, "elements": list(f.elements)},
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        if f.suggestion:
            result["properties"]["suggestion"] = {
                "action": f.suggestion.action.value,
                "text": f.suggestion.text,
            }
        if f.location:
            loc = _location(f.location.file, f.location.line, f.location.column)
            if f.elements:
                loc["logicalLocations"] = [
                    {"name": f.elements[0], "fullyQualifiedName": f"{f.process}/{f.elements[0]}"}
                ]
            result["locations"] = [loc]
        results.append(result)
    notifications = [
        {
            "level": "error",
            "message": {"text": e.message},
            **(
                {"locations": [_location(e.location.file, e.location.line, e.location.column)]}
                if e.location
                else {}
            ),
        }
        for e in errors
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "procmap",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
