"""Cross-functional rules (seed 002, Visual Workflow): hand-offs between functions."""

from procmap.rules.cross_functional.ping_pong import PingPong

RULES = (PingPong,)
