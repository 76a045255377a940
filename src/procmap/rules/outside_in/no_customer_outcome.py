"""OI007 no-customer-outcome: the process states no outcome for the customer."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import OutcomeFor, Process
from procmap.rules.base import Context, Rule


class NoCustomerOutcome(Rule):
    """The process names no outcome for the customer.

    Why: Outside-in (seed 001) aligns the way business is done with successful
    customer outcomes, and working backwards (seed 000) starts from them. A
    process whose outcomes are all internal is designed inside-out.

    Example:
        outcomes:
          invoice-paid: {name: Invoice is paid, for: business}

    Fix: add what the customer should have, know or feel at the end, and let
    the steps deliver it.
    """

    id = "OI007"
    name = "no-customer-outcome"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if any(o.for_ is OutcomeFor.CUSTOMER for o in process.outcomes.values()):
            return
        said = "no outcomes at all" if not process.outcomes else "only business outcomes"
        yield self.finding(
            f"Process '{process.title}' has {said}: nothing says what the customer gets",
            suggestion=Suggestion.add(
                "Add an outcome for the customer (what they should have, know or feel at the end)"
            ),
        )
