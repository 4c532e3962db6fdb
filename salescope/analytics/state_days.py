"""Per user and local day counters of activities (models.UserDay): the fast path of the productivity family.

`day_counts` says what one activity adds; `add_activity` applies it (or takes it back) with one upsert.
The PostgreSQL rebuild states the same in SQL (`_COLUMN_SQL`); the property test and `analytics verify`
compare the two.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from salescope.activities.models import Activity

from .models import UserDay
from .terms import is_reply_attempt, reply_attempt_sql

COLUMNS = (
    "calls_in",
    "calls_in_missed",
    "calls_out",
    "calls_out_answered",
    "calls_answered",
    "talk_time",
    "wait_n",
    "wait_sum",
    "emails_out",
    "messages_out",
    "meetings",
    "proposals",
    "attempts",
)
NO_USER = 0


def day_counts(kind: str, direction: str, status: str, duration_s: int | None, wait_s: int | None) -> dict[str, int]:
    """The counters one activity adds to its user's day."""
    counts: dict[str, int] = {}
    answered = kind == "call" and status == "answered"
    if kind == "call":
        if direction == "in":
            counts["calls_in"] = 1
            counts["calls_in_missed"] = int(status == "missed")
            if answered and wait_s is not None:
                counts["wait_n"], counts["wait_sum"] = 1, wait_s
        elif direction == "out":
            counts["calls_out"] = 1
            counts["calls_out_answered"] = int(answered)
        if answered:
            counts["calls_answered"], counts["talk_time"] = 1, duration_s or 0
    elif kind == "email" and direction == "out":
        counts["emails_out"] = 1
    elif kind == "message" and direction == "out":
        counts["messages_out"] = 1
    elif kind == "meeting":
        counts["meetings"] = 1
    elif kind == "proposal":
        counts["proposals"] = 1
    counts["attempts"] = int(is_reply_attempt(kind, direction, status))
    return counts


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


_UPSERT = (
    f"INSERT INTO analytics_userday (user_id, day, {', '.join(COLUMNS)}) "
    f"VALUES (%s, %s, {', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT (user_id, day) DO UPDATE SET "
    + ", ".join(f"{c} = analytics_userday.{c} + excluded.{c}" for c in COLUMNS)
)


def upsert_statement(
    user_id: int | None, started_at: dt.datetime, activity: Any, sign: int = 1
) -> tuple[str, list[Any]]:
    """The one statement that adds (sign 1) or takes back (sign −1) an activity (kind, direction, status,
    duration_s and wait_s read from `activity`)."""
    counts = day_counts(activity.kind, activity.direction, activity.status, activity.duration_s, activity.wait_s)
    day = started_at.astimezone(_zone()).date()
    return _UPSERT, [NO_USER if user_id is None else user_id, day, *(sign * counts.get(c, 0) for c in COLUMNS)]


def add_activity(user_id: int | None, started_at: dt.datetime, activity: Any, sign: int = 1) -> None:
    sql, params = upsert_statement(user_id, started_at, activity, sign)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


_COLUMN_SQL = {
    "calls_in": "kind = 'call' AND direction = 'in'",
    "calls_in_missed": "kind = 'call' AND direction = 'in' AND status = 'missed'",
    "calls_out": "kind = 'call' AND direction = 'out'",
    "calls_out_answered": "kind = 'call' AND direction = 'out' AND status = 'answered'",
    "calls_answered": "kind = 'call' AND status = 'answered'",
    "wait_n": "kind = 'call' AND direction = 'in' AND status = 'answered' AND wait_s IS NOT NULL",
    "emails_out": "kind = 'email' AND direction = 'out'",
    "messages_out": "kind = 'message' AND direction = 'out'",
    "meetings": "kind = 'meeting'",
    "proposals": "kind = 'proposal'",
    "attempts": reply_attempt_sql(),
}
_SUM_SQL = {
    "talk_time": ("kind = 'call' AND status = 'answered'", "COALESCE(duration_s, 0)"),
    "wait_sum": (_COLUMN_SQL["wait_n"], "wait_s"),
}


def rebuild_days() -> None:
    UserDay.objects.all().delete()
    if connection.vendor != "postgresql":
        _rebuild_days_python()
        return
    sums = [
        f"SUM(CASE WHEN {_SUM_SQL[c][0]} THEN {_SUM_SQL[c][1]} ELSE 0 END)"
        if c in _SUM_SQL
        else f"SUM(CASE WHEN {_COLUMN_SQL[c]} THEN 1 ELSE 0 END)"
        for c in COLUMNS
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO analytics_userday (user_id, day, {', '.join(COLUMNS)}) "
            f"SELECT COALESCE(user_id, {NO_USER}), (started_at AT TIME ZONE %s)::date, {', '.join(sums)} "
            "FROM activities_activity GROUP BY 1, 2",
            [settings.TIME_ZONE],
        )


def _rebuild_days_python() -> None:
    tz = _zone()
    days: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(dict)
    fields = ("user_id", "started_at", "kind", "direction", "status", "duration_s", "wait_s")
    for user_id, started_at, *rest in Activity.objects.order_by().values_list(*fields).iterator(chunk_size=20_000):
        counters = days[(NO_USER if user_id is None else user_id, started_at.astimezone(tz).date())]
        for column, value in day_counts(*rest).items():
            counters[column] = counters.get(column, 0) + value
    UserDay.objects.bulk_create(
        (UserDay(user_id=user_id, day=day, **counters) for (user_id, day), counters in days.items()),
        batch_size=5000,
    )


def rollup(date_from: dt.date, date_to: dt.date) -> tuple[list[tuple[Any, ...]], dict[int | None, int]]:
    """Per user (None: no user) the counters summed over the local days [date_from, date_to], and the days
    with at least one reply attempt as a bit mask (bit i: date_from + i days)."""
    totals = ", ".join(f"SUM({c})" for c in COLUMNS)
    where = "FROM analytics_userday WHERE day >= %s AND day <= %s"
    masks: dict[int | None, int] = {}
    sums = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one scan: the active days' offsets as an array per user
            cursor.execute(
                f"SELECT user_id, {totals}, array_agg(day - %s::date) FILTER (WHERE attempts > 0) {where} "
                "GROUP BY user_id",
                [date_from, date_from, date_to],
            )
            for user_id, *counts, found in cursor.fetchall():
                owner = None if user_id == NO_USER else user_id
                sums.append((owner, *(int(v) for v in counts)))
                masks[owner] = sum(1 << offset for offset in found or ())
            return sums, masks
        # SQLite: the active days as one list of ISO dates per user
        offsets = {(date_from + dt.timedelta(days=i)).isoformat(): i for i in range((date_to - date_from).days + 1)}
        cursor.execute(
            f"SELECT user_id, {totals}, group_concat(day) FILTER (WHERE attempts > 0) {where} GROUP BY user_id",
            [date_from, date_to],
        )
        for user_id, *counts, days in cursor.fetchall():
            owner = None if user_id == NO_USER else user_id
            sums.append((owner, *(int(v) for v in counts)))
            masks[owner] = sum(1 << offsets[day] for day in days.split(",")) if days else 0
    return sums, masks
