"""The outside-in inventory (analysis/points.py): Moments of Truth, Break Points,
Business Rules, as DESIGN.md §3 defines them."""

from __future__ import annotations

from datetime import timedelta

import procmap
from procmap.measures.points import (
    break_points,
    business_rules,
    customer_actors,
    is_customer_step,
    moments_of_truth,
)

HEAD = """\
procmap: 1
process: t
actors:
  cust: {kind: customer}
  sales: {kind: team}
  agency: {kind: partner}
  portal: {kind: system}
steps:
"""


def load(steps: str) -> procmap.Process:
    return procmap.loads(HEAD + steps)


def mots(p: procmap.Process) -> dict[str, tuple[str | None, str]]:
    return {m.step: (m.counterpart, m.interaction) for m in moments_of_truth(p)}


def test_a_moment_of_truth_is_a_step_the_customer_takes_part_in() -> None:
    p = load("""\
  begin: {actor: cust, kind: start, then: [fill-form]}
  fill-form: {actor: cust, channel: web, then: [call]}
  call: {actor: sales, with: [cust], channel: phone, then: [internal]}
  internal: {actor: sales, then: [done]}
  done: {actor: cust, kind: end}
""")
    assert customer_actors(p) == {"cust"}
    # the customer's own start and end events are Moments of Truth too
    assert [m.step for m in moments_of_truth(p)] == ["begin", "fill-form", "call", "done"]
    assert [s for s in p.steps if is_customer_step(p, s)] == ["begin", "fill-form", "call", "done"]


def test_events_count_in_the_customer_lane_or_when_they_name_the_customer() -> None:
    p = load("""\
  reaches-out: {actor: cust, kind: start, channel: web, then: [lead-in]}
  lead-in: {actor: sales, kind: start, then: [quote]}
  quote: {actor: sales, then: [order, filed]}
  order: {actor: cust, kind: end}
  filed: {actor: portal, kind: end}
  inbound-call: {actor: sales, kind: start, with: [cust], channel: phone, then: [quote]}
""")
    assert mots(p) == {
        "reaches-out": ("sales", "system"),  # the customer reaches out: to whom it reaches
        "order": ("sales", "person"),  # a result the customer receives: from the step before
        "inbound-call": ("sales", "person"),  # a start that names the customer
    }


def test_a_named_counterpart_decides_by_its_kind() -> None:
    p = load("""\
  webinar: {actor: cust, with: [sales], channel: web, then: [bot]}
  bot: {actor: portal, with: [cust], channel: chat, then: [both]}
  both: {actor: cust, with: [portal, agency], then: [letter]}
  letter: {actor: portal, with: [cust], channel: letter}
""")
    assert mots(p) == {
        "webinar": ("sales", "person"),  # people on the web are still people
        "bot": ("portal", "system"),  # a chat with a system is a chatbot
        "both": ("agency", "person"),  # a team or partner before a system
        "letter": ("portal", "system"),
    }


def test_a_customer_alone_is_judged_by_the_channel_then_the_neighbour() -> None:
    p = load("""\
  prepare: {actor: sales, then: [web-form, phone-in, mail-in, silent]}
  web-form: {actor: cust, channel: web}
  phone-in: {actor: cust, channel: phone}
  mail-in: {actor: cust, channel: email}
  silent: {actor: cust, then: [store]}
  store: {actor: portal}
""")
    assert mots(p) == {
        "web-form": ("sales", "system"),  # self-service, though Sales prepared it
        "phone-in": ("sales", "person"),
        "mail-in": ("sales", "person"),  # no telling channel, nothing after: the team before
        "silent": ("portal", "system"),  # whoever receives it: the system after it
    }
    q = load("""\
  invite: {actor: portal, then: [read]}
  read: {actor: cust, channel: email}
""")
    assert mots(q) == {"read": ("portal", "system")}  # the system before it


def test_the_counterpart_of_a_customer_alone() -> None:
    p = load("""\
  tell: {actor: agency, with: [cust], channel: phone, then: [call-sales]}
  call-sales: {actor: cust, channel: phone, then: [quote]}
  quote: {actor: sales, then: [call-back]}
  call-back: {actor: cust, channel: email, then: [note, upload]}
  note: {actor: portal, then: [close]}
  upload: {actor: cust, channel: web, then: [close]}
  close: {actor: sales, kind: end}
  lonely: {actor: cust}
""")
    assert mots(p) == {
        "tell": ("agency", "person"),
        # told by the agency to call Sales: whoever receives the call, the step after
        "call-sales": ("sales", "person"),
        "call-back": ("portal", "system"),
        # web is self-service; no other step next to it but Sales' end event
        "upload": ("sales", "system"),
        "lonely": (None, "person"),
    }
    assert moments_of_truth(p)[1].channel.value == "phone"
    # a step the customer receives an outcome in meets whoever delivered it;
    # events are counterparts only when nothing else is next to it
    q = procmap.loads(HEAD.replace("steps:", "outcomes: {got: {name: Customer has it}}\nsteps:") + """\
  ship: {actor: agency, then: [receive]}
  receive: {actor: cust, channel: in-person, delivers: [got], then: [invoice]}
  invoice: {actor: sales, then: [rate]}
  rate: {actor: cust, then: [done]}
  done: {actor: portal, kind: end}
""")
    assert mots(q) == {"receive": ("agency", "person"), "rate": ("sales", "person")}
    r = load("""\
  ship: {actor: agency, then: [receive]}
  receive: {actor: cust, channel: in-person, then: [check]}
  check: {actor: portal}
  send: {actor: agency, then: [upload]}
  upload: {actor: cust, then: [check]}
""")
    # in person fits the agency before, not the system after; with no channel
    # the customer meets the system that receives the upload
    assert mots(r) == {"receive": ("agency", "person"), "upload": ("portal", "system")}
    # the customer signs, then fills in the form: both reach whoever reads the form
    s = load("""\
  signs: {actor: cust, kind: start, then: [fill-in]}
  fill-in: {actor: cust, channel: web, then: [review]}
  review: {actor: sales}
""")
    assert mots(s) == {"signs": ("sales", "person"), "fill-in": ("sales", "system")}


def test_break_points_are_flows_between_actors() -> None:
    p = load("""\
  fill-form: {actor: cust, then: [call]}
  call: {actor: sales, with: [cust], needs: [fill-form], then: [chat-bot]}
  chat-bot: {actor: portal, with: [cust], wait: 2h, then: [approve]}
  approve: {actor: sales, then: [route]}
  route: {actor: sales, kind: decision, branches: {a: done, b: agency-work}}
  agency-work: {actor: agency, then: [done]}
  done: {actor: cust, kind: end}
""")
    found = [(b.flow.source, b.flow.target, b.from_actor, b.to_actor, b.wait) for b in break_points(p)]
    assert found == [
        ("fill-form", "call", "cust", "sales", None),  # said twice (then, needs): once
        ("call", "chat-bot", "sales", "portal", timedelta(hours=2)),  # the wait before it
        ("chat-bot", "approve", "portal", "sales", None),
        ("route", "agency-work", "sales", "agency", None),  # each branch is a flow
        ("route", "done", "sales", "cust", None),
        ("agency-work", "done", "agency", "cust", None),
    ]
    assert break_points(p)[4].flow.label == "a"


def test_business_rules_are_decisions_and_steps_with_a_rule() -> None:
    p = load("""\
  approve: {actor: sales, rule: Credit under 5k only, then: [route]}
  route: {actor: sales, kind: decision, branches: {a: done, b: done}}
  priced: {actor: sales, kind: decision, rule: Discounts need approval, branches: {a: done, b: done}}
  done: {actor: cust, kind: end}
""")
    assert [(r.step, r.rule, r.is_decision) for r in business_rules(p)] == [
        ("approve", "Credit under 5k only", False),
        ("route", None, True),
        ("priced", "Discounts need approval", True),
    ]


def test_results_are_kept_per_map() -> None:
    p = load("""\
  a: {actor: cust, then: [b]}
  b: {actor: sales}
""")
    assert moments_of_truth(p) is moments_of_truth(p)
    assert break_points(p) is break_points(p)
    assert business_rules(p) is business_rules(p)
