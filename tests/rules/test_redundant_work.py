"""XF003 on a catalog as a consultant meets it, and its place in the scorecard's ranking,
which the YAML cases cannot state."""

from __future__ import annotations

from pathlib import Path

import procmap
from procmap.analysis.linter import check
from procmap.findings import Action
from procmap.model.catalog import Catalog
from procmap.model.work import read_as, work_of

LEAD_TO_ORDER = """\
procmap: 1
process: lead-to-order
name: Lead to order
actors:
  prospect: {kind: customer, name: Prospect}
  marketing: {kind: team, name: Marketing}
  sales: {kind: team, name: Sales}
  crm: {kind: system, name: CRM}
outcomes:
  ordered: {name: Prospect has ordered}
steps:
  ask: {actor: prospect, kind: start, name: Prospect asks for an offer, then: [capture]}
  capture: {actor: marketing, name: Capture the prospect's contact details in the marketing tool, duration: 10m, then: [re-enter]}
  re-enter: {actor: sales, name: Re-enter the prospect's contact details in the CRM, duration: 10m, then: [check]}
  check: {actor: sales, name: Check the prospect's contact details, duration: 5m, then: [send-offer]}
  send-offer: {actor: sales, name: Send the offer with the contact details, then: [ordered]}
  ordered: {actor: prospect, kind: end, name: Prospect orders, delivers: [ordered]}
"""

CUSTOMER_CARE = """\
procmap: 1
process: customer-care
name: Customer care
actors:
  customer: {kind: customer, name: Customer}
  service: {kind: team, name: Service}
  billing: {kind: team, name: Billing}
outcomes:
  served: {name: Customer is served}
steps:
  calls: {actor: customer, kind: start, name: Customer calls, then: [enter]}
  enter: {actor: service, name: Enter the customer's contact details in the service desk, duration: 5m, then: [type]}
  type: {actor: billing, name: Type the customer's contact details into the billing system, duration: 5m, then: [invoice]}
  invoice: {actor: billing, name: Send the first invoice, then: [served]}
  served: {actor: customer, kind: end, name: Customer is served, delivers: [served]}
"""


def _catalog(folder: Path) -> Catalog:
    (folder / "a-lead-to-order.yaml").write_text(LEAD_TO_ORDER, encoding="utf-8")
    (folder / "b-customer-care.yaml").write_text(CUSTOMER_CARE, encoding="utf-8")
    return procmap.load_catalog(folder)


def test_contact_details_keyed_in_by_four_teams_are_one_finding(tmp_path: Path) -> None:
    found = [f for f in check(_catalog(tmp_path)) if f.rule == "XF003"]
    assert len(found) == 1
    finding = found[0]
    # the four steps that enter the details, the first in map order first; the check
    # and the offer sent with the details are other work
    assert finding.elements == ("capture", "re-enter", "enter", "type")
    assert finding.process == "lead-to-order"
    assert "all 4 enter contact details" in finding.message
    assert "by Marketing, Sales, Service and Billing in 2 processes" in finding.message
    assert finding.data["work_per_case_s"] == 30 * 60
    assert finding.data["redundant_per_case_s"] == 20 * 60
    assert finding.data["remove"] == "lead-to-order/re-enter, customer-care/enter, customer-care/type"


def test_redundant_work_is_ranked_to_eliminate_with_the_step_to_keep(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    findings = check(catalog)
    lead = catalog.processes["lead-to-order"]
    card = procmap.analyze(lead, findings=[f for f in findings if f.process == "lead-to-order"])
    redundant = [c for c in card.candidates if c.kind == "redundant work"]
    assert len(redundant) == 1
    candidate = redundant[0]
    assert candidate.action is Action.ELIMINATE
    assert candidate.keep == "lead-to-order/capture"
    assert candidate.remove == ("lead-to-order/re-enter", "customer-care/enter", "customer-care/type")
    assert "keep 'Capture the prospect's contact details in the marketing tool' (Marketing)" in candidate.reason
    assert "'Type the customer's contact details into the billing system' (Billing, process 'Customer care')" \
        in candidate.reason
    # every case passes the step to keep: the redundant work is waste on all of them
    assert candidate.frequency == 1.0 and candidate.failure == 1.0


def test_the_work_of_a_name() -> None:
    work = work_of("Type the customer's contact details into the billing system")
    assert work is not None and (work.action, work.object) == ("enter", "contact details")
    assert work_of("Enter the order in the CRM").key == work_of("Record orders").key
    assert work_of("Enter the order").key != work_of("Check the order").key
    assert work_of("Look up the order").action == "look up"
    assert work_of("Customer") is None


def test_a_typo_is_read_as_the_known_word_but_two_known_words_stay_apart() -> None:
    works = [work_of(n) for n in ("Enter the contact", "Enter the contract", "Enter the contcat")]
    keys = read_as(works, 85)
    assert keys[works[0]] != keys[works[1]]
    assert keys[works[2]] in (keys[works[0]], keys[works[1]])
