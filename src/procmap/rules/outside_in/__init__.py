"""Outside-in rules (seed 001, the CEM method): the process as the customer lives it."""

from procmap.rules.outside_in.break_point import BreakPointInventory
from procmap.rules.outside_in.business_rule import BusinessRuleInventory
from procmap.rules.outside_in.customer_as_bridge import CustomerAsBridge
from procmap.rules.outside_in.moment_of_truth import MomentOfTruthInventory
from procmap.rules.outside_in.no_customer_outcome import NoCustomerOutcome
from procmap.rules.outside_in.outcome_at_risk import OutcomeAtRisk
from procmap.rules.outside_in.repeated_contact import RepeatedContact
from procmap.rules.outside_in.status_chasing import StatusChasing

RULES = (
    MomentOfTruthInventory,
    BreakPointInventory,
    BusinessRuleInventory,
    OutcomeAtRisk,
    RepeatedContact,
    CustomerAsBridge,
    NoCustomerOutcome,
    StatusChasing,
)
