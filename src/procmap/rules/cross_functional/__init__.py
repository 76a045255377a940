"""Cross-functional rules (seed 002, Visual Workflow): hand-offs between functions."""

from procmap.rules.cross_functional.bottleneck_lane import BottleneckLane
from procmap.rules.cross_functional.long_wait import LongWait
from procmap.rules.cross_functional.ping_pong import PingPong
from procmap.rules.cross_functional.redundant_work import RedundantWork
from procmap.rules.cross_functional.slow_handoff import SlowHandoff

RULES = (SlowHandoff, PingPong, RedundantWork, LongWait, BottleneckLane)
