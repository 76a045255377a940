"""Generated process maps of any size, shaped like real ones, for the benchmarks.

A map of ``n`` steps runs across eight lanes (the customer on top), with a
decision about every tenth step, customer steps, hand-offs, durations, waits and
three outcomes delivered near the end. The same arguments give the same text.
"""

from __future__ import annotations

import random
from pathlib import Path

LANES = [
    ("customer", "customer", "Customer"),
    ("marketing", "team", "Marketing"),
    ("sales", "team", "Sales"),
    ("service", "team", "Customer Service"),
    ("billing", "team", "Billing"),
    ("crm", "system", "CRM"),
    ("erp", "system", "ERP"),
    ("courier", "partner", "Courier"),
]
VERBS = ["Capture", "Check", "Confirm", "Send", "Review", "Update", "Prepare", "Approve"]
NOUNS = ["customer details", "order", "quote", "invoice", "contract", "request", "delivery"]
CHANNELS = ["web", "email", "phone", "app"]


def map_text(
    steps: int, *, process: str = "generated", seed: int = 7, part_of: str | None = None,
    level: int = 3,
) -> str:
    """YAML text of a valid map with ``steps`` steps."""
    rng = random.Random(seed)
    out = [
        "procmap: 1",
        f"process: {process}",
        f"name: Generated process {process}",
        f"level: {level}",
        "owner: Customer Operations",
    ]
    if part_of:
        out.append(f"part-of: {part_of}")
    out.append("actors:")
    for actor, kind, name in LANES:
        out.append(f"  {actor}: {{kind: {kind}, name: {name}}}")
    out += [
        "outcomes:",
        "  served: {name: Customer has what they asked for}",
        "  informed: {name: Customer knows what happens next}",
        "  paid: {name: Invoice is paid, for: business}",
        "steps:",
    ]
    out += ["  start:", "    kind: start", "    actor: customer", "    then: [s0]"]
    last = steps - 1
    for i in range(steps):
        actor = LANES[rng.randrange(len(LANES))][0]
        name = f"{rng.choice(VERBS)} {rng.choice(NOUNS)} {i}"
        out.append(f"  s{i}:")
        out.append(f"    name: {name}")
        out.append(f"    actor: {actor}")
        if i and i % 10 == 0 and i + 2 <= last:
            out.append("    kind: decision")
            out.append(f"    rule: Orders over {rng.randrange(1, 50)}k need approval")
            out.append(f"    branches: {{yes: s{i + 1}, no: s{i + 2}}}")
        elif i < last:
            out.append(f"    then: [s{i + 1}]")
        else:
            out.append("    then: [done]")
        if actor == "customer":
            out.append(f"    channel: {rng.choice(CHANNELS)}")
        elif rng.random() < 0.2:
            out.append("    with: [customer]")
            out.append(f"    channel: {rng.choice(CHANNELS)}")
        out.append(f"    duration: {rng.randrange(5, 60)}m")
        if rng.random() < 0.3:
            out.append(f"    wait: {rng.randrange(1, 48)}h")
        if rng.random() < 0.1:
            out.append(f"    fails: {rng.randrange(1, 20) / 100}")
        if i == last:
            out.append("    delivers: [served, informed, paid]")
    out += ["  done:", "    kind: end", "    actor: customer"]
    return "\n".join(out) + "\n"


def write_map(folder: Path, steps: int, **kwargs: object) -> Path:
    """Write a generated map into ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    process = str(kwargs.pop("process", f"generated-{steps}"))
    path = folder / f"{process}.yaml"
    path.write_text(map_text(steps, process=process, **kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


def write_catalog(folder: Path, maps: int, steps: int) -> Path:
    """A catalog folder: one L1 map, ten L2 maps under it, the rest L3 maps under those."""
    folder.mkdir(parents=True, exist_ok=True)
    write_map(folder, steps, process="function", level=1)
    parents = [f"area-{i}" for i in range(min(10, maps - 1))]
    for parent in parents:
        write_map(folder, steps, process=parent, level=2, part_of="function")
    for i in range(maps - 1 - len(parents)):
        write_map(folder, steps, process=f"process-{i}", level=3, part_of=parents[i % len(parents)],
                  seed=i)
    return folder
