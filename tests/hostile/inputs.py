"""Hostile and careless inputs, generated small: each function writes one into a folder.

Used by the tests of this package, and by ``python -m tests.hostile.inputs CASE FOLDER``
to write one for a look by hand.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def bpmn(body: str, *, prolog: str = "") -> str:
    """A BPMN file with ``body`` inside one process."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
            f'<definitions xmlns="{BPMN_NS}" id="d" targetNamespace="urn:t">\n'
            f'<process id="p" name="Hostile">\n{body}</process>\n</definitions>\n')


def _flow(n: int | str, a: str, b: str) -> str:
    return f'<sequenceFlow id="f{n}" sourceRef="{a}" targetRef="{b}"/>\n'


def gateway_diamonds(layers: int) -> str:
    """``layers`` split/join pairs of exclusive gateways, one after the other, with no task between.

    Every path through it is a different choice at each split: 2**layers paths.
    """
    parts = ['<startEvent id="s"/>\n']
    flows = []
    prev = "s"
    for k in range(layers):
        split, join = f"x{k}", f"j{k}"
        parts.append(f'<exclusiveGateway id="{split}"/>\n<exclusiveGateway id="{join}"/>\n')
        flows += [_flow(f"{k}a", prev, split), _flow(f"{k}b", split, join), _flow(f"{k}c", split, join)]
        prev = join
    parts.append('<task id="t" name="Do the work"/>\n<endEvent id="e"/>\n')
    flows += [_flow("t1", prev, "t"), _flow("t2", "t", "e")]
    return bpmn("".join(parts + flows))


def gateway_chain(length: int) -> str:
    """A start, ``length`` exclusive gateways one after the other, a task and an end."""
    parts = ['<startEvent id="s"/>\n']
    prev = "s"
    for k in range(length):
        parts.append(f'<exclusiveGateway id="g{k}"/>\n')
        parts.append(_flow(k, prev, f"g{k}"))
        prev = f"g{k}"
    parts.append('<task id="t" name="Do the work"/>\n<endEvent id="e"/>\n')
    parts += [_flow("t1", prev, "t"), _flow("t2", "t", "e")]
    return bpmn("".join(parts))


def task_chain(length: int) -> str:
    """A start, ``length`` named tasks one after the other, and an end."""
    parts = ['<startEvent id="s"/>\n']
    prev = "s"
    for k in range(length):
        parts.append(f'<task id="t{k}" name="Task {k}"/>\n')
        parts.append(_flow(k, prev, f"t{k}"))
        prev = f"t{k}"
    parts += ['<endEvent id="e"/>\n', _flow("end", prev, "e")]
    return bpmn("".join(parts))


def duplicate_ids() -> str:
    return bpmn('<startEvent id="s"/>\n<task id="a" name="First"/>\n<task id="a" name="Second"/>\n'
                '<endEvent id="e"/>\n' + _flow(1, "s", "a") + _flow(2, "a", "e"))


def long_shared_ids() -> str:
    """Two tasks whose ids share their first 200 characters."""
    stem = "x" * 200
    return bpmn(f'<startEvent id="s"/>\n<task id="{stem}1" name="One"/>\n'
                f'<task id="{stem}2" name="Two"/>\n<endEvent id="e"/>\n'
                + _flow(1, "s", f"{stem}1") + _flow(2, f"{stem}1", f"{stem}2")
                + _flow(3, f"{stem}2", "e"))


def entity_text() -> str:
    """A task name with text after a character entity: ``Check &amp; approve the order``."""
    return bpmn('<startEvent id="s"/>\n<task id="a" name="Check &amp; approve the order">'
                '<documentation>Terms &lt;v2&gt; and the rest</documentation></task>\n'
                '<endEvent id="e"/>\n' + _flow(1, "s", "a") + _flow(2, "a", "e"))


def internal_dtd(*, encoding: str = "utf-8", comment: int = 0) -> bytes:
    """A BPMN with an internal DTD entity used in a name, after a comment of ``comment`` characters."""
    prolog = (f"<!--{'c' * comment}-->\n" if comment else "") + \
        '<!DOCTYPE definitions [<!ENTITY e "EXPANDED">]>\n'
    text = bpmn('<startEvent id="s"/>\n<task id="a" name="&e;"/>\n<endEvent id="e"/>\n'
                + _flow(1, "s", "a") + _flow(2, "a", "e"), prolog=prolog)
    text = text.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    return text.encode(encoding)


def with_subprocesses(count: int) -> str:
    """A process with ``count`` sub-processes (an import to a folder writes one map each)."""
    parts = ['<startEvent id="s"/>\n']
    prev = "s"
    for k in range(count):
        parts.append(f'<subProcess id="sp{k}" name="Part {k}"><startEvent id="ss{k}"/>'
                     f'<task id="st{k}" name="Inner {k}"/><endEvent id="se{k}"/>'
                     f'{_flow(f"i{k}a", f"ss{k}", f"st{k}")}{_flow(f"i{k}b", f"st{k}", f"se{k}")}'
                     '</subProcess>\n')
        parts.append(_flow(k, prev, f"sp{k}"))
        prev = f"sp{k}"
    parts += ['<endEvent id="e"/>\n', _flow("end", prev, "e")]
    return bpmn("".join(parts))


def chain_map(author: str, steps: int, *, lane: str = "ops", kind: str = "team",
              names: str = "Review the file {letter}") -> str:
    """A participant's map: ``steps`` tasks in a chain whose names differ by a letter."""
    lines = [f"procmap: 1\nprocess: chain\nauthor: {author}\nactors:\n  {lane}: {{kind: {kind}}}\n",
             "steps:\n"]
    for k in range(steps):
        then = f"then: [s{k + 1}]" if k + 1 < steps else "kind: end"
        letter = chr(ord("a") + k % 26) + ("" if k < 26 else str(k // 26))
        name = names.format(letter=letter, k=k)
        lines.append(f"  s{k}: {{actor: {lane}, name: '{name}', {then}}}\n")
    return "".join(lines)


def chain_map_ids(author: str, steps: int, *, lane: str, kind: str = "team") -> str:
    """Like :func:`chain_map`, but each participant's own step ids (so only names can match)."""
    return chain_map(author, steps, lane=lane, kind=kind).replace(" s", f" {author}-s").replace(
        "[s", f"[{author}-s")


def many_bad_references(count: int) -> str:
    """A map whose one step names ``count`` steps that do not exist."""
    refs = ", ".join(f"missing{k}" for k in range(count))
    return ("procmap: 1\nprocess: refs\nactors:\n  ops: {kind: team}\nsteps:\n"
            f"  a: {{actor: ops, then: [{refs}]}}\n")


def alias_bomb(levels: int = 30) -> str:
    """A YAML list of answers made of nested aliases: ``levels`` doublings (2**levels strings)."""
    lines = ['- &a0 ["lol", "lol"]']
    for k in range(1, levels):
        lines.append(f"- &a{k} [*a{k - 1}, *a{k - 1}]")
    return "\n".join(lines) + "\n"


def one_long_case(events: int) -> str:
    """A CSV log of one case with ``events`` events cycling through five activities."""
    rows = ["case,activity,timestamp"]
    for k in range(events):
        rows.append(f"c1,A{k % 5},2026-01-01T00:00:00.{k:06d}"
                    if k < 1_000_000 else f"c1,A{k % 5},2026-01-02T00:00:00")
    return "\n".join(rows) + "\n"


def whitespace_xes_gz(path: Path, megabytes: int) -> None:
    """A small ``.xes.gz`` with ``megabytes`` of spaces after its last trace."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n'
            '<trace><string key="concept:name" value="c1"/>'
            '<event><string key="concept:name" value="A"/>'
            '<date key="time:timestamp" value="2026-01-01T00:00:00+00:00"/></event>'
            '<event><string key="concept:name" value="B"/>'
            '<date key="time:timestamp" value="2026-01-01T01:00:00+00:00"/></event></trace>\n')
    block = b" " * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(head.encode())
        for _ in range(megabytes):
            handle.write(block)
        handle.write(b"</log>\n")


SMALL_LOG = ("case,activity,timestamp\nc1,Ask,2026-01-01T10:00:00\nc1,Answer,2026-01-01T11:00:00\n"
             "c2,Ask,2026-01-02T10:00:00\nc2,Answer,2026-01-02T12:00:00\n")


CASES = {
    "diamonds": lambda d, n=26: (d / "diamonds.bpmn").write_text(gateway_diamonds(n)),
    "chain": lambda d, n=500: (d / "chain.bpmn").write_text(gateway_chain(n)),
    "tasks": lambda d, n=80_000: (d / "tasks.bpmn").write_text(task_chain(n)),
    "dup": lambda d: (d / "dup.bpmn").write_text(duplicate_ids()),
    "longids": lambda d: (d / "longids.bpmn").write_text(long_shared_ids()),
    "entity": lambda d: (d / "entity.bpmn").write_text(entity_text()),
    "dtd16": lambda d: (d / "dtd16.bpmn").write_bytes(internal_dtd(encoding="utf-16")),
    "dtdcomment": lambda d: (d / "dtdcomment.bpmn").write_bytes(internal_dtd(comment=70_000)),
    "refs": lambda d, n=1_000_000: (d / "refs.yaml").write_text(many_bad_references(n)),
    "bomb": lambda d: (d / "bomb.yaml").write_text(alias_bomb()),
    "longcase": lambda d, n=100_000: (d / "longcase.csv").write_text(one_long_case(n)),
    "whitespace": lambda d, n=2048: whitespace_xes_gz(d / "ws.xes.gz", n),
}

if __name__ == "__main__":
    case, folder = sys.argv[1], Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    extra = [int(a) for a in sys.argv[3:]]
    CASES[case](folder, *extra)
