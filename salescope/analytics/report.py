"""build_report: the report JSON of metrics.md, the one read path of every screen, export and API."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from salescope.core.scope import Scope

from .compute import Engine, Owners
from .facts import collect
from .period import Period, make_period


@dataclass(frozen=True)
class Audience:
    """Which users and teams a report lists, and which records its department sums."""

    user_ids: list[int]
    team_ids: list[int]
    department: Owners


def audience(facts_users: list[dict[str, Any]], facts_teams: list[dict[str, Any]], scope: Scope | None) -> Audience:
    """An admin (or no scope) sees everything; a head their team's users and team; a manager only themselves.

    For a restricted caller the department is the sum over the users they may see
    (records with no user are left out).
    """
    if scope is None or scope.sees_all:
        return Audience([u["id"] for u in facts_users], [t["id"] for t in facts_teams], None)
    team_id = scope.team_id if scope.role == "head" else None
    users = [
        u["id"] for u in facts_users if u["id"] == scope.user_id or (team_id is not None and u["team_id"] == team_id)
    ]
    teams = [t["id"] for t in facts_teams if team_id is not None and t["id"] == team_id]
    return Audience(users, teams, users)


def build_report(
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.datetime | None = None,
    tz: str | None = None,
    team: str | None = None,
    user: str | None = None,
    scope: Scope | None = None,
    fast: bool | None = None,
) -> dict[str, Any]:
    """The report JSON (metrics.md). `team`/`user` (refs) restrict the users and teams objects:
    `team` keeps that team and its members, `user` keeps that user (and no team unless `team` is given);
    department, funnel and sources are not affected by them. `scope` restricts everything to what the
    caller may see. `fast` forces (True) or forbids (False) the incremental state; by default it is used
    whenever it applies (state.fast_path_applies)."""
    period = make_period(date_from=date_from, date_to=date_to, as_of=as_of, tz=tz)
    with _collection_paused():
        return _report(period, fast=fast, team=team, user=user, scope=scope)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a report is built: it makes no cycles, but holds lists of hundreds of
    thousands of values that every full collection would walk through (tens of milliseconds per report)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _report(period: Period, *, fast: bool | None, team: str | None, user: str | None, scope: Scope | None) -> dict:
    facts = collect(period, fast=fast)
    engine = Engine(facts)
    seen = audience(facts.users, facts.teams, scope)
    user_ids, team_ids = _filtered(facts.users, facts.teams, seen, team=team, user=user)
    members: dict[int, list[int]] = {t["id"]: [] for t in facts.teams}
    for row in facts.users:
        if row["team_id"] is not None:
            members[row["team_id"]].append(row["id"])
    users: dict[str, Any] = {}
    for row in facts.users:
        if row["id"] in user_ids:
            group = engine.values([row["id"]])
            group["plan"] = engine.plan(group, user_id=row["id"])
            users[row["ref"]] = group
    teams: dict[str, Any] = {}
    for row in facts.teams:
        if row["id"] in team_ids:
            group = engine.values(members[row["id"]])
            group["plan"] = engine.plan(group, team_id=row["id"])
            teams[row["ref"]] = group
    department = engine.values(seen.department)
    department["plan"] = {}
    return {
        "period": period_json(period),
        "users": users,
        "teams": teams,
        "department": department,
        "funnel": engine.funnel(seen.department),
        "sources": engine.sources(seen.department),
    }


def period_json(period: Period) -> dict[str, str]:
    return {
        "from": period.date_from.isoformat(),
        "to": period.date_to.isoformat(),
        "timezone": period.tz.key,
        "as_of": period.as_of.astimezone(period.tz).isoformat(),
    }


def _filtered(
    users: list[dict[str, Any]],
    teams: list[dict[str, Any]],
    seen: Audience,
    *,
    team: str | None,
    user: str | None,
) -> tuple[set[int], set[int]]:
    user_ids, team_ids = set(seen.user_ids), set(seen.team_ids)
    if team is not None:
        found = next((t for t in teams if t["ref"] == team), None)
        if found is None:
            raise ValueError(f"unknown team: {team!r}")
        team_ids &= {found["id"]}
        user_ids &= {u["id"] for u in users if u["team_id"] == found["id"]}
    if user is not None:
        found_user = next((u for u in users if u["ref"] == user), None)
        if found_user is None:
            raise ValueError(f"unknown user: {user!r}")
        user_ids &= {found_user["id"]}
        if team is None:
            team_ids = set()
    return user_ids, team_ids
