"""Durations as workshop people write them: ``15m``, ``2h``, ``3d``, ``1w``, ``1h30m``,
and in words: ``2 days``, ``90 minutes``, ``1 hour 30 min``.

A day is a calendar day (24 hours) and a week seven of them: procmap measures
elapsed time from the customer's point of view, not working time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, PlainValidator, WithJsonSchema

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


# --- Durations as distributions (for simulation) ------------------------------------------

SPREADS = ("fixed", "uniform", "exponential", "normal", "lognormal", "triangular")
"""How a step's time may vary: a single figure is fixed, ``a..b`` uniform, the rest written out."""

_DISTRIBUTION_HINT = (
    "write 15m (fixed), 10m..30m (uniform), {mean: 8m, distribution: exponential} "
    "or {mean: 8m, sd: 3m, distribution: lognormal}"
)


class Timing(timedelta):
    """A duration that varies from case to case; as a :class:`timedelta` it is the mean.

    Everything that reads a map's durations as figures (cycle time, the scorecard)
    sees the mean; the simulation draws from the distribution.

    >>> t = parse_timing("10m..30m")
    >>> t == timedelta(minutes=20), t.distribution, t.low, t.high
    (True, 'uniform', 600.0, 1800.0)
    """

    distribution: str
    sd: float
    low: float
    high: float
    mode: float

    def __new__(cls, mean: float, distribution: str = "fixed", *, sd: float = 0.0,
                low: float = 0.0, high: float = 0.0, mode: float = 0.0) -> Timing:
        self = super().__new__(cls, seconds=mean)
        self.distribution = distribution
        self.sd, self.low, self.high, self.mode = sd, low, high, mode
        return self

    def __reduce__(self) -> Any:
        return (_timing, (self.total_seconds(), self.distribution, self.sd, self.low,
                          self.high, self.mode))

    def __repr__(self) -> str:
        return f"Timing({format_timing(self)!r})"


def _timing(mean: float, distribution: str, sd: float, low: float, high: float,
            mode: float) -> Timing:
    return Timing(mean, distribution, sd=sd, low=low, high=high, mode=mode)


def _seconds(value: object, what: str) -> float:
    try:
        return parse_duration(value).total_seconds()
    except ValueError as exc:
        raise ValueError(f"{what} {exc}") from None


def parse_timing(value: object) -> timedelta:
    """Read a duration that may vary: ``15m``, ``10m..30m``, or a written-out distribution.

    A single figure stays a plain :class:`timedelta` (fixed); a range or a
    distribution becomes a :class:`Timing` whose value is its mean.

    >>> parse_timing({"mean": "8m", "distribution": "exponential"}).distribution
    'exponential'
    """
    if isinstance(value, str) and value.strip().startswith("{"):
        import yaml  # the text of a mapping, as a BPMN extension element keeps it

        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            raise ValueError(f"is not a duration; {_DISTRIBUTION_HINT}") from None
    if isinstance(value, dict):
        return _distribution(value)
    if isinstance(value, str) and ".." in value:
        low_text, _, high_text = value.partition("..")
        low = _seconds(low_text, "the low end")
        high = _seconds(high_text, "the high end")
        if high < low:
            raise ValueError("runs backwards: write the shorter time first, e.g. 10m..30m")
        return Timing((low + high) / 2, "uniform", low=low, high=high)
    return parse_duration(value)


_KEYS = {"mean", "sd", "min", "max", "mode", "distribution"}


def _distribution(data: dict[Any, Any]) -> Timing:
    unknown = sorted(str(k) for k in data if k not in _KEYS)
    if unknown:
        raise ValueError(
            f"has an unknown field '{unknown[0]}' (a distribution has mean, sd, min, max, "
            "mode and distribution)"
        )
    kind = data.get("distribution")
    if kind is None:
        raise ValueError(f"says no distribution; {_DISTRIBUTION_HINT}")
    kind = str(kind).strip().lower()
    if kind not in SPREADS:
        close = [s for s in SPREADS if s.startswith(kind[:3])]
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"has distribution '{kind}', not one of {', '.join(SPREADS)}{hint}")
    given = {k: _seconds(data[k], k) for k in ("mean", "sd", "min", "max", "mode") if k in data}
    needs = {
        "fixed": ("mean",), "exponential": ("mean",), "normal": ("mean", "sd"),
        "lognormal": ("mean", "sd"), "uniform": ("min", "max"),
        "triangular": ("min", "mode", "max"),
    }[kind]
    missing = [k for k in needs if k not in given]
    if missing:
        example = ", ".join(f"{k}: 8m" for k in needs)
        raise ValueError(f"needs {' and '.join(missing)} for a {kind} distribution, "
                         f"e.g. {{{example}, distribution: {kind}}}")
    if kind in ("uniform", "triangular"):
        low, high, mode = given["min"], given["max"], given.get("mode", 0.0)
        if high < low or (kind == "triangular" and not low <= mode <= high):
            raise ValueError("has min, mode and max out of order: min ≤ mode ≤ max")
        mean = (low + high) / 2 if kind == "uniform" else (low + mode + high) / 3
        return Timing(mean, kind, low=low, high=high, mode=mode)
    mean = given["mean"]
    if kind == "lognormal" and mean <= 0:
        raise ValueError("needs a mean above zero for a lognormal distribution")
    return Timing(mean, kind, sd=given.get("sd", 0.0))


def format_timing(value: timedelta) -> Any:
    """A duration as the map writes it: ``15m``, ``10m..30m`` or the written-out distribution."""
    if not isinstance(value, Timing) or value.distribution == "fixed":
        return format_duration(value)
    if value.distribution == "uniform":
        return (f"{format_duration(timedelta(seconds=value.low))}.."
                f"{format_duration(timedelta(seconds=value.high))}")

    def text(seconds: float) -> str:
        return format_duration(timedelta(seconds=seconds))

    if value.distribution == "triangular":
        return {"min": text(value.low), "mode": text(value.mode), "max": text(value.high),
                "distribution": "triangular"}
    out: dict[str, str] = {"mean": text(value.total_seconds())}
    if value.distribution in ("normal", "lognormal"):
        out["sd"] = text(value.sd)
    out["distribution"] = value.distribution
    return out


_RANGE_PATTERN = rf"^\s*(?:{_PART}[\s,]*)+\.\.\s*(?:{_PART}[\s,]*)+$"

TimedDuration = Annotated[
    timedelta,
    PlainValidator(
        parse_timing, json_schema_input_type=str | dict[str, str]
    ),
    PlainSerializer(format_timing),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN,
                 "description": "A fixed duration such as 15m, 2h, 1h30m, 3d or 1w"},
                {"type": "string", "pattern": _RANGE_PATTERN,
                 "description": "A uniform range such as 10m..30m"},
                {
                    "type": "object",
                    "description": "A distribution: {mean: 8m, distribution: exponential}, "
                    "{mean: 8m, sd: 3m, distribution: lognormal} or normal, "
                    "{min: 5m, mode: 10m, max: 30m, distribution: triangular}",
                    "properties": {
                        "distribution": {"enum": list(SPREADS)},
                        **{k: {"type": "string", "pattern": DURATION_PATTERN}
                           for k in ("mean", "sd", "min", "max", "mode")},
                    },
                    "required": ["distribution"],
                    "additionalProperties": False,
                },
            ],
            "examples": ["15m", "10m..30m", {"mean": "8m", "distribution": "exponential"}],
        }
    ),
]
"""A step's duration or wait: a fixed figure, a range, or a distribution (its mean as a value)."""


# --- Arrivals ------------------------------------------------------------------------------

_PER = {"minute": 60, "min": 60, "hour": 3600, "hr": 3600, "h": 3600, "day": 86400, "d": 86400,
        "week": 604800, "wk": 604800, "w": 604800}
_PER_PATTERN = re.compile(
    rf"^\s*(\d+(?:\.\d+)?)\s*(?:cases?\s+)?(?:per|a|an|/)\s*({'|'.join(_PER)})\s*$")
ARRIVALS_HINT = "write it like 'every 10m' (Poisson arrivals with that mean gap) or '200 per day'"


@dataclass(frozen=True)
class Arrivals:
    """How often a case starts: a mean gap, Poisson (exponential gaps) unless fixed."""

    gap: float
    """Mean seconds between two cases (of open time, when the process has a calendar)."""
    per: float | None = None
    """For ``N per day``: the length of the period (seconds of the calendar) N are spread over."""
    count: float | None = None
    fixed: bool = False

    def describe(self) -> str:
        if self.count is not None and self.per is not None:
            unit = {60: "minute", 3600: "hour", 86400: "day", 604800: "week"}[int(self.per)]
            return f"{self.count:g} per {unit} (Poisson)"
        gap = format_duration(timedelta(seconds=round(self.gap)))
        return f"every {gap} ({'fixed' if self.fixed else 'Poisson'})"


def parse_arrivals(value: object) -> Arrivals:
    """Read ``every 10m``, ``every 10m fixed``, ``200 per day`` or ``12 an hour``.

    >>> parse_arrivals("every 10m").gap
    600.0
    >>> parse_arrivals("48 per day").gap
    1800.0
    """
    if not isinstance(value, str):
        raise ValueError(f"is not a rate of arrivals; {ARRIVALS_HINT}")
    text = value.strip().lower()
    if text.startswith("every "):
        rest, fixed = text[6:].strip(), False
        if rest.endswith(" fixed"):
            rest, fixed = rest[:-6].strip(), True
        try:
            gap = parse_duration(rest).total_seconds()
        except ValueError:
            raise ValueError(f"is not a rate of arrivals; {ARRIVALS_HINT}") from None
        if gap <= 0:
            raise ValueError("must be a gap longer than zero")
        return Arrivals(gap=gap, fixed=fixed)
    match = _PER_PATTERN.match(text)
    if not match:
        raise ValueError(f"is not a rate of arrivals; {ARRIVALS_HINT}")
    count, unit = float(match.group(1)), _PER[match.group(2)]
    if count <= 0:
        raise ValueError("must be more than zero cases")
    return Arrivals(gap=unit / count, per=float(unit), count=count)


def _check_arrivals(value: object) -> str:
    parse_arrivals(value)
    return str(value).strip()


ArrivalsText = Annotated[
    str,
    BeforeValidator(_check_arrivals),
    WithJsonSchema({
        "type": "string",
        "description": "How often a case starts: 'every 10m' (Poisson, that mean gap), "
        "'every 10m fixed', '200 per day'",
        "examples": ["every 10m", "200 per day"],
    }),
]
