"""OI004 outcome-at-risk: customers reach an outcome unharmed too rarely."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class OutcomeAtRisk(Rule):
    """An outcome is reached with nothing going wrong too rarely.

    Why: Outside-in (seed 001): every Moment of Truth, Break Point and Business
    Rule is a chance of failure, and the chances multiply along the way. When the
    chance of reaching an outcome without a failure falls below the threshold
    (`thresholds.min-success`, 75% by default) customers feel it. The chance is
    the expected one where branch probabilities are given, else the worst path.

    Example:
        steps:
          call-prospect: {actor: sales, with: [customer], fails: 0.15, then: [send-quote]}
          send-quote: {actor: sales, delivers: [answered], fails: 0.1}

    Fix: eliminate points on the way (fewer hand-offs, fewer contacts, fewer
    rules) and improve the riskiest ones named in the finding.
    """

    id = "OI004"
    name = "outcome-at-risk"
    default_severity = Severity.WARNING
    settings = ("min-success",)

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        limit = ctx.config.thresholds.min_success
        risks = ctx.risk.step_risk
        for oid, r in ctx.risk.outcomes.items():
            if not r.reachable:
                continue  # WB003 says no start leads there
            chance = r.expected if r.expected is not None else r.worst
            if chance is None or chance >= limit:
                continue
            on_way = set(r.worst_path)
            handoffs = sum(
                1 for bp in ctx.break_points if bp.flow.source in on_way and bp.flow.target in on_way
            )
            ranked = [(-risks[s], i, s) for i, s in enumerate(r.worst_path) if risks.get(s, 0.0) > 0]
            riskiest = [s for _, _, s in sorted(ranked)[:3]]
            names = ", ".join(f"'{process.step_title(s)}' ({risks[s]:.0%})" for s in riskiest)
            crossing = (
                f"cut some of the {handoffs} hand-off{'s' if handoffs != 1 else ''} on the way "
                f"({ctx.risk.handoff_risk:.0%} each)"
                if handoffs and ctx.risk.handoff_risk
                else ""
            )
            if names:
                advice = f"Make the riskiest points safer or remove them: {names}"
                advice += f"; and {crossing}" if crossing else ""
            else:
                advice = crossing.capitalize() or "Remove points on the way to this outcome"
            yield self.finding(
                f"Outcome '{process.outcomes[oid].name}' is reached with nothing going wrong in "
                f"{chance:.0%} of cases (best path {r.best:.0%}, worst {r.worst:.0%}), "
                f"below {limit:.0%}",
                elements=(oid, *riskiest),
                suggestion=Suggestion.improve(advice),
                data={
                    "chance": round(chance, 4),
                    "best": round(r.best or 0, 4),
                    "worst": round(r.worst or 0, 4),
                    "handoffs": handoffs,
                },
            )
