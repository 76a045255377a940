"""Working-backwards rules (seed 000): every step serves an outcome."""

from procmap.rules.working_backwards.dead_end import DeadEnd
from procmap.rules.working_backwards.low_cycle_efficiency import LowCycleEfficiency
from procmap.rules.working_backwards.no_value_step import NoValueStep
from procmap.rules.working_backwards.outcome_not_delivered import OutcomeNotDelivered
from procmap.rules.working_backwards.outcome_unreachable import OutcomeUnreachable
from procmap.rules.working_backwards.step_serves_no_outcome import StepServesNoOutcome
from procmap.rules.working_backwards.unreachable_step import UnreachableStep

RULES = (
    StepServesNoOutcome,
    OutcomeNotDelivered,
    OutcomeUnreachable,
    DeadEnd,
    UnreachableStep,
    NoValueStep,
    LowCycleEfficiency,
)
