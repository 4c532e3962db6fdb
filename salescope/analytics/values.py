"""Exact arithmetic for metric values and their JSON form (metrics.md, "Values")."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | float

_MICROSECOND = dt.timedelta(microseconds=1)
_CENT = Decimal("0.01")


def seconds_between(earlier: dt.datetime, later: dt.datetime) -> Fraction | int:
    """later − earlier in seconds, exactly (an int when whole: cheap to sort and sum)."""
    exact = Fraction((later - earlier) // _MICROSECOND, 1_000_000)
    return exact.numerator if exact.denominator == 1 else exact


def number(value: Fraction | int | None) -> Number | None:
    """An exact value as JSON number: an int where it is whole, else the nearest float."""
    if value is None or type(value) is int:
        return value
    value = Fraction(value)
    return int(value) if value.denominator == 1 else float(value)


def share(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def ratio(numerator: Fraction | int, denominator: Fraction | int) -> Fraction | None:
    if denominator == 0:
        return None
    if type(numerator) is int and type(denominator) is int:
        return Fraction(numerator, denominator)
    return Fraction(numerator) / Fraction(denominator)


def mean(values: Sequence[Fraction | int]) -> Fraction | None:
    if not values:
        return None
    return Fraction(sum(values)) / len(values)


def median(values: Sequence[Fraction | int]) -> Fraction | None:
    """The middle value; for an even count, the mean of the two middle values."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle]) / 2


def p90(values: Sequence[Fraction | int]) -> Fraction | None:
    """Nearest rank: the value at rank ceil(9n / 10) of the ascending list."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (9 * len(ordered) + 9) // 10
    return Fraction(ordered[rank - 1])


def money(value: Decimal | Fraction | int | None) -> str | None:
    """A money string with exactly 2 places, rounded half-up (values are never negative)."""
    if value is None:
        return None
    if isinstance(value, Decimal) and value >= 0:  # the common case, without fractions
        return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):f}"
    exact = Fraction(value)
    cents = math.floor(exact * 100 + Fraction(1, 2))
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def money_of_cents(cents: int) -> str:
    """money(cents / 100) of a whole number of cents."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def money_fraction(text: str) -> Fraction:
    return Fraction(Decimal(text))
