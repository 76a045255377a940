from datetime import timedelta

import pytest

from procmap.model.durations import describe_duration, format_duration, parse_duration


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
        ("1.5h", timedelta(minutes=90)),
        ("2 days", timedelta(days=2)),
        ("90 minutes", timedelta(minutes=90)),
        ("1 hour 30 min", timedelta(minutes=90)),
        (" 2H ", timedelta(hours=2)),
    ],
)
def test_parse(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["3x", "m", "2 dayz", "", "-1h", "h2"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


@pytest.mark.parametrize("value", ["15", 15, 2.5])
def test_a_number_without_unit_says_so(value: object) -> None:
    with pytest.raises(ValueError, match="has no unit"):
        parse_duration(value)


@pytest.mark.parametrize("text", ["15m", "2h", "1h30m", "3d", "1w2d", "45s", "1w"])
def test_format_round_trips(text: str) -> None:
    assert format_duration(parse_duration(text)) == text


def test_describe_rounds_to_two_units() -> None:
    assert describe_duration(timedelta(days=4, hours=22, minutes=14, seconds=24)) == "4d 22h"
    assert describe_duration(timedelta(minutes=90)) == "1h 30m"
    assert describe_duration(timedelta(0)) == "0m"
