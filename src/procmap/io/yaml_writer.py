"""Process → YAML text in the map style people write by hand.

Top-level fields first, then actors and outcomes one per line, then the steps
as blocks with their fields in the order of the format. Defaults are left out,
so a loaded map written back reads like the original.
"""

from __future__ import annotations

from typing import Any

import yaml

from procmap.model.process import Actor, Outcome, Process, Step

GENERATED_MARK = "# Written by procmap"
# libyaml's emitter where PyYAML has it (8x faster, the same text on every example and
# corpus map; it also escapes a next-line character the pure-Python emitter folds away)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _inline(value: Any) -> str:
    """One value as YAML on one line: plain where safe, quoted where needed."""
    text = yaml.dump(
        value, Dumper=_DUMPER, default_flow_style=True, sort_keys=False, width=10**9,
        allow_unicode=True,
    )
    text = text.strip()
    if text.endswith("\n...") or text.endswith("..."):
        text = text.rsplit("\n", 1)[0].strip()
    return text


def _element(model: Actor | Outcome) -> dict[str, Any]:
    return model.model_dump(by_alias=True, exclude_defaults=True, mode="json")


def _step_fields(step: Step) -> dict[str, Any]:
    data = step.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    data.setdefault("actor", step.actor)
    if "branches" in data:
        data["branches"] = {
            label: b["to"] if set(b) == {"to"} else b for label, b in data["branches"].items()
        }
    order = [f.alias or n for n, f in Step.model_fields.items()]
    return {k: data[k] for k in order if k in data}


def dumps(process: Process, *, header: str | None = None) -> str:
    """Write a process as map YAML; ``header`` becomes a comment at the top.

    Example:
        >>> text = procmap.dumps(process)  # doctest: +SKIP
        >>> procmap.loads(text) == process  # doctest: +SKIP
        True
    """
    lines: list[str] = []
    if header:
        lines += [f"# {line}" if line else "#" for line in header.splitlines()]
    top = process.model_dump(
        by_alias=True,
        exclude_defaults=True,
        exclude={"actors", "outcomes", "steps"},
        mode="json",
    )
    top["procmap"] = process.procmap
    top["process"] = process.process
    for key in [f.alias or n for n, f in Process.model_fields.items()]:
        if key in top:
            lines.append(f"{key}: {_inline(top[key])}")
    for title, items in (("actors", process.actors), ("outcomes", process.outcomes)):
        if items:
            lines += ["", f"{title}:"]
            lines += [f"  {_inline(k)}: {_inline(_element(v))}" for k, v in items.items()]
    if process.steps:
        lines += ["", "steps:"]
        for sid, step in process.steps.items():
            lines.append(f"  {_inline(sid)}:")
            for key, value in _step_fields(step).items():
                if key == "branches" and any(isinstance(v, dict) for v in value.values()):
                    lines.append("    branches:")
                    lines += [f"      {_inline(k)}: {_inline(v)}" for k, v in value.items()]
                else:
                    lines.append(f"    {key}: {_inline(value)}")
    return "\n".join(lines) + "\n"
