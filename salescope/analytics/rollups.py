"""Activity metric values from the per user and day counters (facts.DayRow): the fast path of productivity.

Each gives exactly what the registry's aggregate gives over the activity items the counters sum up
(proven by the property test and by `salescope analytics verify`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import values
from .facts import DayRow

Dates = int  # the local dates of P with at least one reply attempt, as a bit mask (state_days.rollup)
RollupValue = Callable[[Sequence[DayRow], Dates], Any]


def _total(column: str) -> RollupValue:
    def value(rows: Sequence[DayRow], dates: Dates) -> int:
        return sum(getattr(row, column) for row in rows)

    return value


def _per(numerator: str, denominator: str) -> RollupValue:
    def value(rows: Sequence[DayRow], dates: Dates) -> int | float | None:
        top, bottom = _total(numerator)(rows, dates), _total(denominator)(rows, dates)
        return values.number(values.ratio(top, bottom))

    return value


def _active_days(rows: Sequence[DayRow], dates: Dates) -> int:
    return dates.bit_count()


def _per_active_day(rows: Sequence[DayRow], dates: Dates) -> int | float | None:
    return values.number(values.ratio(_total("attempts")(rows, dates), _active_days(rows, dates)))


ROLLUPS: dict[str, RollupValue] = {
    "calls_in": _total("calls_in"),
    "calls_in_missed": _total("calls_in_missed"),
    "calls_out": _total("calls_out"),
    "calls_out_answered": _total("calls_out_answered"),
    "talk_time_s": _total("talk_time"),
    "avg_call_duration_s": _per("talk_time", "calls_answered"),
    "answer_wait_avg_s": _per("wait_sum", "wait_n"),
    "emails_out": _total("emails_out"),
    "messages_out": _total("messages_out"),
    "meetings": _total("meetings"),
    "proposals_sent": _total("proposals"),
    "active_days": _active_days,
    "activities_per_active_day": _per_active_day,
}
