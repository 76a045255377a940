"""What procmap says about the bundled examples, reviewed by reading the maps.

The expected findings below were written down by reading each map as a process
consultant would (see examples/README.md for the flaws put in on purpose) and
checked against procmap's output. Inventory and info findings are left out.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.findings import Severity
from tests.conftest import EXAMPLES

# (rule, primary element) of every warning or error, per file
EXPECTED = {
    "customer-onboarding.yaml": {
        ("OI004", "pays-on-time"),  # 70%: payment method (8%), details (5%), hand-offs
        ("OI004", "account-live"),  # needs both the payment method and the account set-up
        ("OI005", "submit-details"),  # incomplete details send the customer round again
        ("XF001", "assign-manager"),  # Sales → Customer Success waits a day
        ("XF001", "check-payment-terms"),  # Sales → Finance waits a day
        ("XF004", "kickoff-call"),  # the call waits 3 days in Customer Success
        ("XF004", "receive-prepayment"),  # 5 days waiting for the prepayment
    },
    "lead-to-cash.yaml": {
        ("OI004", "answered"), ("OI004", "delivered"), ("OI004", "billed-right"),
        ("OI004", "cash-in"),
        ("OI005", "send-quote"),  # quote revisions loop through the customer
        ("OI006", "customer-calls-sales"),  # Service makes the customer call Sales
        ("WB001", "print-order"),
        ("WB004", "print-order"),
        ("WB006", "approve-discount"), ("WB006", "print-order"),
        ("XF001", "qualify-lead"), ("XF001", "call-prospect"), ("XF001", "check-stock"),
        ("XF001", "capture-customer-details"), ("XF001", "ship-order"),
        ("XF001", "raise-invoice"),  # Finance invoices three days after delivery
        ("XF001", "reconcile-payment"),  # and reconciles two days after the customer pays
        ("XF002", "check-stock"),  # Sales → Service → Sales for the stock check
        ("XF003", "score-lead"),  # also scored in the marketing catalog's lead management
        ("XF003", "enter-customer-details"),  # Sales and Service key in the same data
        ("XF004", "approve-discount"), ("XF004", "correct-invoice"),
    },
    "marketing/campaign-management.yaml": {
        ("OI004", "relevant-offer"),
        ("WB001", "hand-leads"),  # feeds the next process; the map names no outcome for it
        ("XF001", "write-copy"), ("XF001", "claims-check"), ("XF001", "book-media"),
        ("XF001", "measure"),  # a week before responses are measured: planned, or a queue?
        ("XF004", "legal-review"),
    },
    "marketing/content-production.yaml": {
        ("OI004", "useful-answer"),
        ("XF001", "interview-expert"), ("XF001", "expert-review"),
        ("XF002", "interview-expert"),
    },
    "marketing/lead-management.yaml": {
        ("OI004", "quick-answer"), ("OI004", "sales-ready"),
        ("XF001", "call-lead"), ("XF001", "accept-lead"),
    },
    "marketing/lead-scoring.yaml": {("OI004", "right-priority"), ("XF004", "check-by-hand")},
    "marketing/marketing.yaml": {
        ("OI005", "engage"),  # buyers not ready for Sales go round the content cycle again
        ("XF001", "convert"), ("XF001", "advocacy"),
    },
    "marketing/webinar-campaign.yaml": {
        ("OI004", "learned"), ("OI004", "attendee-leads"), ("XF001", "confirm-speaker"),
        ("XF001", "sync-leads"),  # attendees reach the CRM a day after the session
        # the reminder waits a week by plan, not in a queue: the map cannot say so (noted)
        ("XF001", "send-reminder"),
    },
    "simulate/claims-as-is.yaml": {
        ("OI004", "paid"),  # photos, visit and payment each can go wrong on the way to the money
        ("OI005", "send-photos"),  # incomplete photos send the customer round again
        ("XF001", "check-policy"), ("XF001", "photos-complete"), ("XF001", "visit"),
        ("XF001", "assess"), ("XF001", "pay"),  # a day or more at each hand-off
        # as-is and to-be lie side by side in one folder: the assessor's work is in both
        ("XF003", "visit"), ("XF003", "write-report"),
    },
    "simulate/claims-to-be.yaml": {
        ("OI005", "add-missing"),  # what is missing is asked for again in the app
        ("XF001", "visit"),  # the assessor still comes days later, for the largest claims
    },
}


def test_examples_give_the_findings_a_consultant_expects() -> None:
    findings = procmap.check(procmap.load_catalog(EXAMPLES))
    found: dict[str, set[tuple[str, str]]] = {}
    for f in findings:
        if f.severity is Severity.INFO:
            continue
        name = str(f.location.file).split("examples/", 1)[1]
        found.setdefault(name, set()).add((f.rule, f.elements[0] if f.elements else ""))
    assert found == EXPECTED


def test_no_errors_in_the_examples() -> None:
    findings = procmap.check(procmap.load_catalog(EXAMPLES))
    assert not [f for f in findings if f.severity is Severity.ERROR]


def test_onboarding_counts_equal_a_count_by_hand() -> None:
    """Counted by reading examples/customer-onboarding.yaml.

    Moments of Truth: the steps in the customer's lane (order-signed, the
    customer's start event, submit-details, watch-training, add-payment-method)
    and those `with: [customer]` (ask-missing-details, send-training-invite,
    kickoff-call, send-welcome-video, request-prepayment, send-billing-guide):
    4 + 6 = 10.

    Break Points: every needs/then/branch edge whose two steps are in different
    lanes, listed below (17).

    Business Rules: the three decisions (check-details, big-order,
    check-payment-terms); no other step has a `rule:`.
    """
    moments = {"order-signed", "submit-details", "watch-training", "add-payment-method", "ask-missing-details",
               "send-training-invite", "kickoff-call", "send-welcome-video",
               "request-prepayment", "send-billing-guide"}
    handoffs = {
        ("submit-details", "check-details"), ("ask-missing-details", "submit-details"),
        ("create-crm-record", "set-up-account"), ("send-training-invite", "watch-training"),
        ("big-order", "assign-manager"), ("big-order", "send-welcome-video"),
        ("create-crm-record", "check-payment-terms"),
        ("check-payment-terms", "create-billing-profile"),
        ("receive-prepayment", "create-billing-profile"),
        ("create-billing-profile", "add-payment-method"),
        ("add-payment-method", "send-billing-guide"), ("add-payment-method", "activate-account"),
        ("set-up-account", "activate-account"), ("watch-training", "onboarded"),
        ("send-welcome-video", "onboarded"), ("send-billing-guide", "onboarded"),
        ("activate-account", "onboarded"),
    }
    rules = {"check-details", "big-order", "check-payment-terms"}

    result = CliRunner().invoke(
        app, ["analyze", str(EXAMPLES / "customer-onboarding.yaml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["counts"] == {"moments_of_truth": 10, "break_points": 17, "business_rules": 3}
    assert {m["step"] for m in card["moments_of_truth"]} == moments
    assert {(b["from_step"], b["to_step"]) for b in card["break_points"]} == handoffs
    assert {r["step"] for r in card["business_rules"]} == rules
