"""The rule contract: a small class per rule, pure (model in, findings out).

A rule declares a permanent id, a kebab-case name and a default severity, and
documents itself in its docstring with *Why*, *Example* and *Fix* sections,
from which ``docs/rules.md`` is generated. It never reads files, prints or looks
at configuration other than through :class:`Context`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from procmap.findings import Finding, Severity, Suggestion

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.measures.points import BreakPoint, BusinessRule, MomentOfTruth
    from procmap.measures.risk import RiskReport
    from procmap.model.catalog import Catalog
    from procmap.model.graph import ProcessGraph
    from procmap.model.process import Process

FAMILIES = {
    "OI": "Outside-in (seed 001)",
    "WB": "Working backwards (seed 000)",
    "XF": "Cross-functional (seed 002)",
    "E2E": "End-to-end structure (seed 003)",
    "MAP": "Well-formedness",
}
_ID = re.compile(r"^(OI|WB|XF|E2E|MAP)\d{3}$")
_NAME = re.compile(r"^[a-z]+(-[a-z]+)*$")
SECTIONS = ("Why", "Example", "Fix")


@dataclass
class Context:
    """What a rule may know besides the map: configuration, catalog, derived views."""

    process: Process
    config: Config
    catalog: Catalog | None = None
    loaded: dict[str, Process] = field(default_factory=dict)
    """Every process being checked together, by id (a catalog or several files)."""

    @property
    def graph(self) -> ProcessGraph:
        return self.process.graph

    @cached_property
    def moments_of_truth(self) -> list[MomentOfTruth]:
        from procmap.measures.points import moments_of_truth

        return moments_of_truth(self.process)

    @cached_property
    def break_points(self) -> list[BreakPoint]:
        from procmap.measures.points import break_points

        return break_points(self.process)

    @cached_property
    def business_rules(self) -> list[BusinessRule]:
        from procmap.measures.points import business_rules

        return business_rules(self.process)

    @cached_property
    def risk(self) -> RiskReport:
        from procmap.measures.risk import failure_risk

        return failure_risk(self.process, self.config.risk)


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation, read from its docstring."""

    summary: str
    sections: dict[str, str]


class Rule:
    """Base class of every rule. Subclasses set the class attributes and ``check``."""

    id: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    aliases: ClassVar[tuple[str, ...]] = ()
    inventory: ClassVar[bool] = False
    """An inventory rule lists points rather than problems; only preset ``all`` runs it."""
    settings: ClassVar[tuple[str, ...]] = ()
    """The ``[thresholds]`` settings the rule measures against (``long-wait``, …)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not _ID.match(cls.id):
            raise TypeError(f"{cls.__name__}: rule id '{cls.id}' is not a family prefix + 3 digits")
        if not _NAME.match(cls.name):
            raise TypeError(f"{cls.__name__}: rule name '{cls.name}' is not kebab-case")
        missing = [s for s in SECTIONS if s not in cls.doc().sections]
        if missing:
            raise TypeError(f"{cls.__name__}: docstring lacks section(s) {', '.join(missing)}")

    @property
    def family(self) -> str:
        """The family prefix: OI, WB, XF, E2E or MAP."""
        return re.sub(r"\d+$", "", self.id)

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        """Findings about one process."""
        return iter(())

    def check_catalog(self, catalog: dict[str, Process], ctx: Context) -> Iterator[Finding]:
        """Findings about several processes together (a catalog); runs once."""
        return iter(())

    def finding(
        self,
        message: str,
        *,
        elements: tuple[str, ...] = (),
        suggestion: Suggestion | None = None,
        process: str = "",
        data: dict[str, float | int | str] | None = None,
    ) -> Finding:
        """A finding of this rule; the engine adds severity and location."""
        return Finding(
            rule=self.id,
            name=self.name,
            message=message,
            elements=elements,
            process=process,
            severity=self.default_severity,
            suggestion=suggestion,
            data=data or {},
        )

    @classmethod
    def doc(cls) -> RuleDoc:
        """Summary line and the *Why*, *Example* and *Fix* sections of the docstring."""
        text = _dedent(cls.__doc__ or "")
        summary, _, rest = text.partition("\n")
        sections: dict[str, str] = {}
        current = None
        lines: list[str] = []
        for line in rest.splitlines():
            head = re.match(r"^(Why|Example|Fix):\s*(.*)$", line)
            if head:
                if current:
                    sections[current] = "\n".join(lines).strip()
                current, lines = head.group(1), [head.group(2)]
            elif current:
                lines.append(line)
        if current:
            sections[current] = "\n".join(lines).strip()
        return RuleDoc(summary=summary.strip(), sections=sections)


def _dedent(text: str) -> str:
    import textwrap

    first, _, rest = text.strip("\n").partition("\n")
    return first.strip() + "\n" + textwrap.dedent(rest)
