"""Well-formedness rules: start, end, decisions, connections."""

from procmap.rules.wellformed.decision_with_one_branch import DecisionWithOneBranch
from procmap.rules.wellformed.event_does_work import EventDoesWork
from procmap.rules.wellformed.isolated_step import IsolatedStep
from procmap.rules.wellformed.join_waits_forever import JoinWaitsForever
from procmap.rules.wellformed.no_end import NoEnd
from procmap.rules.wellformed.no_start import NoStart
from procmap.rules.wellformed.parallel_without_join import ParallelWithoutJoin

RULES = (
    NoStart,
    NoEnd,
    DecisionWithOneBranch,
    IsolatedStep,
    ParallelWithoutJoin,
    JoinWaitsForever,
    EventDoesWork,
)
