"""`salescope analytics verify`: the incremental state and the fast report path against the raw data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from . import state
from .models import CallbackFact, DealFact, FirstTouch, MoneyDay, ReplyFact, ReviewFact, UserDay
from .report import build_report
from .state_days import COLUMNS

_DAY_FIELDS = ("user_id", "day", *COLUMNS)
_REPLY_FIELDS = ("activity_id", "user_id", "contact_id", "missed_call", "at", "reply_id", "reply_at")
_DEAL_FIELDS = (
    "deal_id",
    "owner_id",
    "pipeline_id",
    "contact_id",
    "created_at",
    "amount_cents",
    "loss_reason",
    "source",
    "campaign",
    "response_id",
    "response_at",
    "current_kind",
    "closed_at",
    "reach",
    "lost_at_stage_id",
    "start_at",
    "touches",
    "products",
    "is_repeat",
)
_CALLBACK_FIELDS = ("task_id", "user_id", "client_id", "created_at", "due_at", "deadline", "call_at")
_NAMES = ("activity day", "money day", "reply fact", "first touch", "deal fact", "callback fact", "review fact")


class _Rollback(Exception):
    pass


Rows = set[tuple[Any, ...]]


def _state_rows() -> tuple[Rows, ...]:
    # a day emptied by changes (every counter 0) is the same as no row
    days = {row for row in UserDay.objects.values_list(*_DAY_FIELDS) if any(row[2:])}
    money = set(MoneyDay.objects.values_list("owner_id", "day", "invoiced_cents", "paid_cents"))
    replies = set(ReplyFact.objects.values_list(*_REPLY_FIELDS))
    touches = set(FirstTouch.objects.values_list("activity_id", "contact_id", "user_id", "at"))
    deals = set(DealFact.objects.values_list(*_DEAL_FIELDS))
    callbacks = set(CallbackFact.objects.values_list(*_CALLBACK_FIELDS))
    reviews = set(ReviewFact.objects.values_list("review_id", "user_id", "call_started_at"))
    return days, money, replies, touches, deals, callbacks, reviews


def state_differences(limit: int = 20) -> list[str]:
    """Rows of the stored state that a rebuild from the raw tables would not produce, and vice versa."""
    stored = _state_rows()
    rebuilt: tuple[Rows, ...] = tuple(set() for _ in _NAMES)
    try:
        with transaction.atomic():
            state.rebuild()
            rebuilt = _state_rows()
            raise _Rollback
    except _Rollback:
        pass
    found: list[str] = []
    for name, kept, fresh in zip(_NAMES, stored, rebuilt, strict=True):
        found += [f"{name} stored but not in raw data: {row}" for row in sorted(kept - fresh, key=str)[:limit]]
        found += [f"{name} missing from the state: {row}" for row in sorted(fresh - kept, key=str)[:limit]]
    return found


def report_differences(*, date_from: dt.date, date_to: dt.date, as_of: dt.datetime) -> list[str]:
    """Every value where the report from the state differs from the report from the raw rows."""
    fast = build_report(date_from=date_from, date_to=date_to, as_of=as_of, fast=True)
    raw = build_report(date_from=date_from, date_to=date_to, as_of=as_of, fast=False)
    return _diff(fast, raw, "report")


def _diff(fast: Any, raw: Any, path: str) -> list[str]:
    if isinstance(fast, dict) and isinstance(raw, dict):
        found: list[str] = []
        for key in sorted(set(fast) | set(raw), key=str):
            if key not in fast or key not in raw:
                found.append(f"{path}.{key}: only in the {'raw' if key not in fast else 'fast'} report")
            else:
                found += _diff(fast[key], raw[key], f"{path}.{key}")
        return found
    if fast != raw or type(fast) is not type(raw):
        return [f"{path}: fast {fast!r} != raw {raw!r}"]
    return []
