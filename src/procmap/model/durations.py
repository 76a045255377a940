"""Durations as workshop people write them: ``15m``, ``2h``, ``3d``, ``1w``, ``1h30m``,
and in words: ``2 days``, ``90 minutes``, ``1 hour 30 min``.

A day is a calendar day (24 hours) and a week seven of them: procmap measures
elapsed time from the customer's point of view, not working time.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_WORDS = {
    "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "day": "d", "days": "d",
    "wk": "w", "wks": "w", "week": "w", "weeks": "w",
}
_UNIT = "|".join(sorted([*_WORDS, *UNITS], key=len, reverse=True))
_PART = rf"(\d+(?:\.\d+)?)\s*({_UNIT})(?![a-z])"
DURATION_PATTERN = rf"^\s*(?:{_PART}[\s,]*)+$"
_WHOLE = re.compile(DURATION_PATTERN)
_PARTS = re.compile(_PART)


def parse_duration(value: object) -> timedelta:
    """Read ``15m``, ``2h``, ``1h 30m``, ``3d`` or ``1w`` into a :class:`timedelta`.

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)
    """
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("is not a duration; write it like 15m, 2h, 3d or 1w")
    if isinstance(value, int | float):
        raise ValueError(f"has no unit; write it like {value}m, {value}h or {value}d")
    return _parse_text(value)


@lru_cache(maxsize=4096)
def _parse_text(value: str) -> timedelta:
    """Parse the text of a duration (maps repeat the same few durations many times)."""
    text = value.strip().lower()
    if text.replace(".", "", 1).isdigit():
        raise ValueError(f"has no unit; write it like {text}m, {text}h or {text}d")
    if not _WHOLE.match(text):
        raise ValueError("is not a duration; write it like 15m, 2h, 3d or 1w")
    seconds = sum(float(n) * UNITS[_WORDS.get(u, u)] for n, u in _PARTS.findall(text))
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError("is too long to be a duration; write it like 15m, 2h, 3d or 1w") from None


def format_duration(value: timedelta) -> str:
    """Write a duration back in the largest units that keep it exact.

    >>> format_duration(timedelta(minutes=90))
    '1h30m'
    """
    rest = value // timedelta(microseconds=1)
    if rest == 0:
        return "0m"
    parts = []
    for unit in "wdhm":
        count, rest = divmod(rest, UNITS[unit] * 1_000_000)
        if count:
            parts.append(f"{count}{unit}")
    seconds, micro = divmod(rest, 1_000_000)
    if micro:  # keep what was written, e.g. 0.5s or 0.001h
        parts.append(f"{seconds}.{micro:06d}".rstrip("0") + "s")
    elif seconds:
        parts.append(f"{seconds}s")
    return "".join(parts)


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration such as 15m, 2h, 1h30m, 3d or 1w",
            "examples": ["15m", "2h", "3d"],
        }
    ),
]


def describe_duration(value: timedelta) -> str:
    """A duration for people to read: the two largest units, rounded to minutes.

    >>> describe_duration(timedelta(days=4, hours=22, minutes=14, seconds=24))
    '4d 22h'
    """
    minutes = round(value.total_seconds() / 60)
    if minutes == 0:
        return "0m"
    parts = []
    for unit, size in (("w", 10080), ("d", 1440), ("h", 60), ("m", 1)):
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts[:2])
