"""The rule registry: every family's ``RULES``, in id order.

Families are imported on first use, so ``import procmap`` stays cheap.
"""

from __future__ import annotations

import importlib
from functools import cache

from procmap.rules.base import Rule

FAMILY_MODULES = (
    "procmap.rules.outside_in",
    "procmap.rules.working_backwards",
    "procmap.rules.cross_functional",
    "procmap.rules.end_to_end",
    "procmap.rules.wellformed",
)


@cache
def all_rules() -> tuple[Rule, ...]:
    """One instance of every registered rule, sorted by id."""
    rules: list[Rule] = []
    for module in FAMILY_MODULES:
        rules.extend(cls() for cls in importlib.import_module(module).RULES)
    return tuple(sorted(rules, key=lambda r: (list(_ORDER).index(r.family), r.id)))


_ORDER = ("OI", "WB", "XF", "E2E", "MAP")


def get_rule(key: str) -> Rule | None:
    """A rule by id (``XF002``), name (``ping-pong``) or alias; ``None`` if unknown."""
    for rule in all_rules():
        if key.upper() == rule.id or key == rule.name or key in rule.aliases:
            return rule
    return None


def matching_rules(key: str) -> list[Rule]:
    """Rules named by ``key``: an id, a name, an alias or a family prefix (``XF``)."""
    rule = get_rule(key)
    if rule is not None:
        return [rule]
    return [r for r in all_rules() if r.family == key.upper()]
