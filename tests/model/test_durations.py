"""Durations as workshop people write them: parse, format, describe."""

from datetime import timedelta

import pytest

from procmap.model.durations import (
    _WORDS,
    UNITS,
    describe_duration,
    format_duration,
    parse_duration,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45s", timedelta(seconds=45)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("1h, 30m", timedelta(minutes=90)),
        ("1w2d3h4m5s", timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5)),
        ("1.5h", timedelta(minutes=90)),
        ("0.5s", timedelta(milliseconds=500)),
        ("2 days", timedelta(days=2)),
        ("90 minutes", timedelta(minutes=90)),
        ("1 hour 30 min", timedelta(minutes=90)),
        (" 2H ", timedelta(hours=2)),
        ("0m", timedelta(0)),
    ],
)
def test_parse(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(("word", "unit"), sorted(_WORDS.items()))
def test_every_unit_word_is_read(word: str, unit: str) -> None:
    assert parse_duration(f"2 {word}") == timedelta(seconds=2 * UNITS[unit])


def test_a_timedelta_passes_through() -> None:
    assert parse_duration(timedelta(hours=1)) == timedelta(hours=1)


@pytest.mark.parametrize("text", ["3x", "m", "2 dayz", "", "-1h", "h2", "1e3h", "1:30"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


@pytest.mark.parametrize("value", [True, None, [15], {"m": 15}])
def test_values_that_are_no_text_are_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(value)


@pytest.mark.parametrize("value", ["15", 15, 2.5, " 7 "])
def test_a_number_without_unit_says_so(value: object) -> None:
    with pytest.raises(ValueError, match="has no unit"):
        parse_duration(value)


def test_a_duration_too_long_for_a_calendar_is_an_error_not_a_crash() -> None:
    with pytest.raises(ValueError, match="is too long to be a duration"):
        parse_duration("99999999999999w")


@pytest.mark.parametrize(
    "text", ["15m", "2h", "1h30m", "3d", "1w2d", "45s", "1w", "0m", "0.5s", "1m0.25s", "3.6s"]
)
def test_format_round_trips(text: str) -> None:
    assert format_duration(parse_duration(text)) == text


@pytest.mark.parametrize(
    ("text", "written"),
    [("90m", "1h30m"), ("2 days", "2d"), ("7d", "1w"), ("0.001h", "3.6s"), ("1.5 hours", "1h30m")],
)
def test_format_writes_the_largest_exact_units(text: str, written: str) -> None:
    assert format_duration(parse_duration(text)) == written


def test_describe_rounds_to_two_units() -> None:
    assert describe_duration(timedelta(days=4, hours=22, minutes=14, seconds=24)) == "4d 22h"
    assert describe_duration(timedelta(minutes=90)) == "1h 30m"
    assert describe_duration(timedelta(weeks=2, minutes=1)) == "2w 1m"
    assert describe_duration(timedelta(0)) == "0m"
    assert describe_duration(timedelta(seconds=20)) == "0m"
