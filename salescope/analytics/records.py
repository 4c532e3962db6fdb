"""Drill-down: the records that make up a metric value, taken from the same computation as the value."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from salescope.core.scope import Scope

from . import values
from .compute import Engine, Owners
from .facts import ClosedDealItem, LeadItem, ReplyItem, collect
from .period import Period, make_period
from .registry import metric_by_key, metric_source
from .report import audience

# Derived facts worth showing next to the stored fields.
_EXTRA = {
    ReplyItem: ("replied",),
    LeadItem: ("responded", "within_sla"),
    ClosedDealItem: ("won",),
}


def metric_records(
    *,
    metric: str,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.datetime | None = None,
    tz: str | None = None,
    user: str | None = None,
    team: str | None = None,
    scope: Scope | None = None,
) -> list[dict[str, Any]]:
    """The records behind `metric` for a user, a team or (neither given) the department.

    Raises KeyError for an unknown metric, ValueError for an unknown user/team or bad
    period, PermissionError when the scope may not see the user or team.
    """
    period = make_period(date_from=date_from, date_to=date_to, as_of=as_of, tz=tz)
    facts = collect(period, fast=False, sources={metric_source(metric)})  # drill-down lists raw records
    definition = metric_by_key(metric, facts.criteria)
    engine = Engine(facts)
    seen = audience(facts.users, facts.teams, scope)
    owners: Owners = seen.department
    if user is not None:
        found = next((u for u in facts.users if u["ref"] == user), None)
        if found is None:
            raise ValueError(f"unknown user: {user!r}")
        if found["id"] not in seen.user_ids:
            raise PermissionError(f"user {user!r} is outside your scope")
        owners = [found["id"]]
    elif team is not None:
        found_team = next((t for t in facts.teams if t["ref"] == team), None)
        if found_team is None:
            raise ValueError(f"unknown team: {team!r}")
        if found_team["id"] not in seen.team_ids:
            raise PermissionError(f"team {team!r} is outside your scope")
        owners = [u["id"] for u in facts.users if u["team_id"] == found_team["id"]]
    user_refs = {u["id"]: u["ref"] for u in facts.users}
    return [_record(item, period, user_refs) for item in engine.items(definition, owners)]


def _record(item: Any, period: Period, user_refs: dict[int, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in dataclasses.fields(item):
        name = field.name
        if name.endswith("_id"):
            continue
        value = getattr(item, name)
        if name == "owner":
            record["user"] = user_refs.get(value) if value is not None else None
            continue
        record[name] = _json(value, period)
    for name in _EXTRA.get(type(item), ()):
        record[name] = getattr(item, name)
    return record


def _json(value: Any, period: Period) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(period.tz).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return values.number(value)
    if isinstance(value, Decimal):
        return values.money(value)
    return value
