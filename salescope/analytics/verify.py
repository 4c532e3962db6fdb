"""`salescope analytics verify`: the incremental state and the fast report path against the raw data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction

from . import state
from .models import STATE_MODELS, UserDay
from .report import build_report


class _Rollback(Exception):
    pass


Rows = set[tuple[Any, ...]]


def _state_rows() -> tuple[Rows, ...]:
    """Every row of every state table, all its columns but a surrogate id."""
    found = []
    for model in STATE_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
        rows = set(model._default_manager.values_list(*names))
        if model is UserDay:  # a day emptied by changes (every counter 0) is the same as no row
            rows = {row for row in rows if any(row[2:])}
        found.append(rows)
    return tuple(found)


def state_differences(limit: int = 20) -> list[str]:
    """Rows of the stored state that a rebuild from the raw tables would not produce, and vice versa."""
    stored = _state_rows()
    rebuilt: tuple[Rows, ...] = tuple(set() for _ in STATE_MODELS)
    try:
        with transaction.atomic():
            state.rebuild()
            rebuilt = _state_rows()
            raise _Rollback
    except _Rollback:
        pass
    found: list[str] = []
    for name, kept, fresh in zip(STATE_MODELS.values(), stored, rebuilt, strict=True):
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
