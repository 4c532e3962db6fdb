"""How a metric's items become its value: each returns the JSON-ready value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from . import values

Aggregate = Callable[[Sequence[Any]], Any]


def count(items: Sequence[Any]) -> int:
    return len(items)


def total(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> int:
        return sum(int(getattr(item, attr)) for item in items)

    return aggregate


def money_total(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> str | None:
        return values.money(sum((values.Fraction(getattr(item, attr)) for item in items), values.Fraction(0)))

    return aggregate


def money_mean(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> str | None:
        return values.money(values.mean([values.Fraction(getattr(item, attr)) for item in items]))

    return aggregate


def mean(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> int | float | None:
        return values.number(values.mean([getattr(item, attr) for item in items]))

    return aggregate


def mean_share(value: Callable[[Any], Any]) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> float | None:
        return values.share(values.mean([value(item) for item in items]))

    return aggregate


def median(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> int | float | None:
        return values.number(values.median([getattr(item, attr) for item in items]))

    return aggregate


def p90(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> int | float | None:
        return values.number(values.p90([getattr(item, attr) for item in items]))

    return aggregate


def share(predicate: Callable[[Any], bool]) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> float | None:
        return values.share(values.ratio(sum(1 for item in items if predicate(item)), len(items)))

    return aggregate


def distinct(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> int:
        return len({getattr(item, attr) for item in items})

    return aggregate


def per_distinct(attr: str) -> Aggregate:
    """Number of items per distinct value of `attr` (e.g. reply attempts per active day)."""

    def aggregate(items: Sequence[Any]) -> int | float | None:
        return values.number(values.ratio(len(items), len({getattr(item, attr) for item in items})))

    return aggregate


def count_by(attr: str) -> Aggregate:
    def aggregate(items: Sequence[Any]) -> dict[str, int]:
        counts = Counter(str(getattr(item, attr)) for item in items)
        return {key: counts[key] for key in sorted(counts)}

    return aggregate
