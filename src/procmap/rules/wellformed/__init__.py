"""Well-formedness rules: start, end, decisions, connections."""

from procmap.rules.wellformed.decision_with_one_branch import DecisionWithOneBranch
from procmap.rules.wellformed.isolated_step import IsolatedStep
from procmap.rules.wellformed.no_end import NoEnd
from procmap.rules.wellformed.no_start import NoStart

RULES = (NoStart, NoEnd, DecisionWithOneBranch, IsolatedStep)
