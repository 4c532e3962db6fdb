"""Activity metric values from daily rollups (facts.DayRow): the fast path of the productivity family.

Each function gives exactly what the registry's aggregate gives over the activity items the rows sum up
(proven by the property test and by `salescope analytics verify`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from . import values
from .facts import DayRow

Dates = Sequence[tuple[int | None, dt.date]]  # (user, local date) with at least one reply attempt
RollupValue = Callable[[Sequence[DayRow], Dates], Any]


def _is_reply_attempt(row: DayRow) -> bool:
    if row.kind == "call":
        return row.status == "answered" or row.direction == "out"
    if row.kind in ("email", "message"):
        return row.direction == "out"
    return row.kind in ("proposal", "meeting")


def _rows(rows: Sequence[DayRow], kind: str, direction: str | None = None, status: str | None = None) -> list[DayRow]:
    return [
        r
        for r in rows
        if r.kind == kind and (direction is None or r.direction == direction) and (status is None or r.status == status)
    ]


def _count(kind: str, direction: str | None = None, status: str | None = None) -> RollupValue:
    def value(rows: Sequence[DayRow], dates: Dates) -> int:
        return sum(r.n for r in _rows(rows, kind, direction, status))

    return value


def _talk_time(rows: Sequence[DayRow], dates: Dates) -> int:
    return sum(r.duration_sum for r in _rows(rows, "call", status="answered"))


def _avg_duration(rows: Sequence[DayRow], dates: Dates) -> int | float | None:
    answered = _rows(rows, "call", status="answered")
    return values.number(values.ratio(sum(r.duration_sum for r in answered), sum(r.n for r in answered)))


def _answer_wait(rows: Sequence[DayRow], dates: Dates) -> int | float | None:
    answered = _rows(rows, "call", "in", "answered")
    return values.number(values.ratio(sum(r.wait_sum for r in answered), sum(r.wait_n for r in answered)))


def _active_days(rows: Sequence[DayRow], dates: Dates) -> int:
    return len({day for _, day in dates})


def _per_active_day(rows: Sequence[DayRow], dates: Dates) -> int | float | None:
    attempts = sum(r.n for r in rows if _is_reply_attempt(r))
    return values.number(values.ratio(attempts, len({day for _, day in dates})))


ROLLUPS: dict[str, RollupValue] = {
    "calls_in": _count("call", "in"),
    "calls_in_missed": _count("call", "in", "missed"),
    "calls_out": _count("call", "out"),
    "calls_out_answered": _count("call", "out", "answered"),
    "talk_time_s": _talk_time,
    "avg_call_duration_s": _avg_duration,
    "answer_wait_avg_s": _answer_wait,
    "emails_out": _count("email", "out"),
    "messages_out": _count("message", "out"),
    "meetings": _count("meeting"),
    "proposals_sent": _count("proposal"),
    "active_days": _active_days,
    "activities_per_active_day": _per_active_day,
}
ROLLUP_SOURCES = ("activities", "reply_attempts")
