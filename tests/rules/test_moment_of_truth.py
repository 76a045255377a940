"""OI001's remedy, which the YAML cases cannot state: eliminate a status chase or a
contact of no value, improve the rest."""

from __future__ import annotations

import procmap
from procmap.analysis.linter import check
from procmap.findings import Action

MAP = """\
procmap: 1
process: p
actors: {customer: {kind: customer}, service: {kind: team}}
steps:
  ask-status: {actor: customer, name: Call to ask where the order is, channel: phone, then: [chase]}
  chase: {actor: customer, name: Chase the refund status, then: [survey]}
  survey: {actor: service, with: [customer], value: none, then: [answer]}
  answer: {actor: service, with: [customer], channel: email}
"""


def test_status_chases_and_contacts_of_no_value_are_to_be_eliminated() -> None:
    found = check(procmap.loads(MAP), select=["OI001"])
    actions = {f.elements[0]: f.suggestion.action for f in found}
    assert actions == {
        "ask-status": Action.ELIMINATE,
        "chase": Action.ELIMINATE,
        "survey": Action.ELIMINATE,
        "answer": Action.IMPROVE,
    }
    texts = {f.elements[0]: f.suggestion.text for f in found}
    assert "before they have to ask" in texts["ask-status"]
