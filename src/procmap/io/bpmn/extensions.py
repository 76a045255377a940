"""procmap's own fields inside BPMN ``extensionElements``, written and read back.

BPMN has no place for a step's duration, wait, failure chance, business rule,
value, outcomes or the actors taking part, nor for the map's owner, level and
outcomes. The export keeps them under the procmap namespace, so that importing
the file gives the map back::

    <bpmn:extensionElements>
      <procmap:step id="check-details" kind="decision">
        <procmap:rule>A billing contact and a VAT number are required</procmap:rule>
        <procmap:wait>4h</procmap:wait>
      </procmap:step>
    </bpmn:extensionElements>

One element per map element: ``procmap:map`` (on the collaboration, with
``procmap:outcome`` children), ``procmap:actor`` (on a lane or pool),
``procmap:step`` (on a flow node), ``procmap:flow`` (on the one sequence or
message flow that stands for a flow of the map) and ``procmap:added`` (on the
start and end events and gateways that the export adds for BPMN's sake; import
drops them). A field is a child element named like the YAML key; a list field
is one child per item.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

NS = "urn:procmap:bpmn:1"
PREFIX = "procmap"
TAG = f"{{{NS}}}"


def fields_of(model: BaseModel, *, skip: set[str]) -> dict[str, Any]:
    """The YAML fields of a model element that BPMN itself does not carry."""
    data = model.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    return {k: v for k, v in data.items() if k not in skip}


def append_fields(parent: Any, data: dict[str, Any]) -> None:
    """Add one child per field (one per item for lists) under ``parent``."""
    from lxml import etree

    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            etree.SubElement(parent, TAG + key).text = str(item)


@cache
def _keys(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """A model's YAML keys, and those of its list fields."""
    fields = model.model_fields
    known = frozenset(f.alias or name for name, f in fields.items())
    lists = frozenset(f.alias or name for name, f in fields.items()
                      if isinstance(f.get_default(call_default_factory=True), tuple))
    return known, lists


def read_fields(element: Any, model: type[BaseModel]) -> dict[str, Any]:
    """The fields written by :func:`append_fields`, lists gathered, for ``model``."""
    known, lists = _keys(model)
    data: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str) or not child.tag.startswith(TAG):
            continue
        key, text = child.tag[len(TAG):], child.text or ""
        if key not in known:
            continue
        if key in lists:
            data.setdefault(key, []).append(text)
        else:
            data[key] = text
    return data


def find(element: Any, name: str) -> Any:
    """The ``procmap:<name>`` element in ``element``'s extensionElements, or None."""
    for ext in element:
        if isinstance(ext.tag, str) and ext.tag.endswith("}extensionElements"):
            for child in ext:
                if child.tag == TAG + name:
                    return child
    return None
