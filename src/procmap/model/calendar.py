"""Working hours as workshop people write them: ``Mon-Fri 09:00-17:00``.

A calendar is a weekly pattern of open hours. Several blocks are separated by
``;`` or ``,``: ``Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-14:00``. ``24/7``
(or ``always``) is open all the time. Days are Mon Tue Wed Thu Fri Sat Sun,
a range ``Mon-Fri``, or ``daily``. A time range may run past midnight
(``Mon-Fri 22:00-06:00``).

Times are counted in seconds from a Monday 00:00, the start of a simulated run.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

DAY = 86400
WEEK = 7 * DAY
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?$")
HINT = "write it like 'Mon-Fri 09:00-17:00' or 'Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-14:00'"


@dataclass(frozen=True)
class Calendar:
    """Open hours of a week: sorted, non-overlapping (start, end) seconds from Monday 00:00."""

    text: str
    starts: tuple[float, ...]
    ends: tuple[float, ...]
    always: bool = field(init=False)
    open_per_week: float = field(init=False)
    """Seconds open in a week."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "always", self.starts == (0.0,) and self.ends == (float(WEEK),))
        object.__setattr__(self, "open_per_week",
                           sum(e - s for s, e in zip(self.starts, self.ends, strict=True)))

    def next_open(self, t: float) -> float:
        """The first moment at or after ``t`` when the calendar is open."""
        week, r = divmod(t, WEEK)
        i = bisect.bisect_right(self.ends, r)
        if i == len(self.ends):
            return (week + 1) * WEEK + self.starts[0]
        return week * WEEK + max(r, self.starts[i])

    def add_work(self, t: float, work: float) -> float:
        """When ``work`` seconds of open time, begun at ``t``, are done."""
        if self.always:
            return t + work
        week, r = divmod(t, WEEK)
        i = bisect.bisect_right(self.ends, r)
        if i < len(self.ends):  # most work fits in the open hours it starts in
            start = r if r > self.starts[i] else self.starts[i]
            if work <= self.ends[i] - start:
                return week * WEEK + start + work
        t = self.next_open(t)
        per_week = self.open_per_week
        if work >= per_week:
            weeks = int(work // per_week)
            t += weeks * WEEK
            work -= weeks * per_week
        while True:
            week, r = divmod(t, WEEK)
            i = bisect.bisect_right(self.ends, r)
            if i == len(self.ends):
                t = (week + 1) * WEEK + self.starts[0]
                continue
            start = max(r, self.starts[i])
            left = self.ends[i] - start
            if work <= left:
                return week * WEEK + start + work
            work -= left
            t = week * WEEK + self.ends[i]

    def open_between(self, a: float, b: float) -> float:
        """Seconds of open time between ``a`` and ``b``."""
        return self._open_until(b) - self._open_until(a)

    def _open_until(self, t: float) -> float:
        week, r = divmod(t, WEEK)
        done = week * self.open_per_week
        for s, e in zip(self.starts, self.ends, strict=True):
            if r <= s:
                break
            done += min(r, e) - s
        return done


def _minutes(hours: str, minutes: str | None) -> int:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise ValueError(f"has a time {hours}:{minutes or '00'} that is not on a clock; {HINT}")
    return h * 60 + m


def _days(token: str) -> list[int] | None:
    token = token.lower()
    if token in ("daily", "every-day", "everyday"):
        return list(range(7))
    if token in ("weekdays",):
        return list(range(5))
    first, _, last = token.partition("-")
    if first[:3] in DAYS and (not last or last[:3] in DAYS):
        a = DAYS.index(first[:3])
        b = DAYS.index(last[:3]) if last else a
        return [d % 7 for d in range(a, b + 1 if b >= a else b + 8)]
    return None


@lru_cache(maxsize=256)
def parse_calendar(text: str) -> Calendar:
    """Read a calendar; raises ValueError with what is wrong.

    >>> c = parse_calendar("Mon-Fri 09:00-17:00")
    >>> c.open_per_week / 3600
    40.0
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"is not a calendar; {HINT}")
    if text.strip().lower() in ("24/7", "always"):
        return Calendar(text.strip(), (0.0,), (float(WEEK),))
    spans: list[tuple[float, float]] = []
    for block in re.split(r"[;,]", text):
        days: list[int] | None = None
        for token in block.split():
            found = _days(token)
            if found is not None:
                days = found
                continue
            match = _TIME.match(token)
            if not match:
                raise ValueError(f"has '{token}', neither days (Mon-Fri) nor hours "
                                 f"(09:00-17:00); {HINT}")
            if days is None:
                if not spans:
                    raise ValueError(f"gives hours before the days; {HINT}")
                days = sorted({int(s // DAY) % 7 for s, _ in spans})
            a = _minutes(match.group(1), match.group(2)) * 60
            b = _minutes(match.group(3), match.group(4)) * 60
            if a == b:
                raise ValueError(f"has an empty time range {token}; {HINT}")
            for d in days:
                start = d * DAY + a
                end = d * DAY + b + (DAY if b < a else 0)
                if end > WEEK:  # Sunday night into Monday morning
                    spans += [(start, WEEK), (0, end - WEEK)]
                else:
                    spans.append((start, end))
        if days is not None and not any(_TIME.match(t) for t in block.split()):
            raise ValueError(f"gives days without hours in '{block.strip()}'; {HINT}")
    if not spans:
        raise ValueError(f"has no open hours; {HINT}")
    spans.sort()
    merged: list[list[float]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([float(s), float(e)])
    return Calendar(text.strip(), tuple(m[0] for m in merged), tuple(m[1] for m in merged))


def _check(value: str) -> str:
    parse_calendar(value)
    return value


CalendarText = Annotated[
    str,
    AfterValidator(_check),
    WithJsonSchema({
        "type": "string",
        "description": "Working hours: 'Mon-Fri 09:00-17:00', "
        "'Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-14:00' or '24/7'",
        "examples": ["Mon-Fri 09:00-17:00"],
    }),
]
