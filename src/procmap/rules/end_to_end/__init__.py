"""End-to-end structure rules (seed 003): levels, owners, the customer persona."""

from procmap.rules.end_to_end.calls_unknown_process import CallsUnknownProcess
from procmap.rules.end_to_end.customer_step_without_alternative import (
    CustomerStepWithoutAlternative,
)
from procmap.rules.end_to_end.level_not_below_parent import LevelNotBelowParent
from procmap.rules.end_to_end.missing_level import MissingLevel
from procmap.rules.end_to_end.no_customer_persona import NoCustomerPersona
from procmap.rules.end_to_end.process_has_no_owner import ProcessHasNoOwner
from procmap.rules.end_to_end.shared_owner import SharedOwner
from procmap.rules.end_to_end.task_level_map import TaskLevelMap

RULES = (
    ProcessHasNoOwner,
    SharedOwner,
    LevelNotBelowParent,
    TaskLevelMap,
    NoCustomerPersona,
    CustomerStepWithoutAlternative,
    CallsUnknownProcess,
    MissingLevel,
)
