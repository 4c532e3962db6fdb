"""Read path of the dashboards: the analytics engine's report and drill-down, cached briefly.

Every metric value shown comes from salescope.analytics (build_report / metric_records / Engine);
this module only chooses periods, caches results and reads names for display.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache

from salescope.accounts.models import Team, User
from salescope.analytics.compute import Engine
from salescope.analytics.facts import collect
from salescope.analytics.period import make_period
from salescope.analytics.records import metric_records
from salescope.analytics.report import audience, build_report
from salescope.contacts.models import Contact
from salescope.core.scope import Scope, scoped

from .periods import Span, department_today

T = TypeVar("T")

# A dashboard is a morning tool, not a ticker: a report is reused for this long.
FRESH_S = 60
PAST_S = 600


def _ttl(span: Span) -> int:
    return PAST_S if span.date_to < department_today() else FRESH_S


def _scope_key(scope: Scope | None) -> str:
    if scope is None:
        return "all"
    return f"{scope.user_id}:{scope.role}:{scope.team_id}:{int(scope.sees_all)}"


def cached(name: str, span: Span, scope: Scope | None, compute: Callable[[], T], *parts: object) -> T:
    """Any engine-derived result of a span and scope, reused like the reports."""
    key = f"dash:{name}:{span.date_from}:{span.date_to}:{_scope_key(scope)}:" + ":".join(str(p) for p in parts)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, _ttl(span))
    return cast(T, found)


def report(span: Span, scope: Scope | None, *, user: str | None = None, team: str | None = None) -> dict[str, Any]:
    key = f"dash:report:{span.date_from}:{span.date_to}:{_scope_key(scope)}:{user}:{team}"
    found = cache.get(key)
    if found is None:
        found = build_report(date_from=span.date_from, date_to=span.date_to, scope=scope, user=user, team=team)
        cache.set(key, found, _ttl(span))
    return found


def records(
    metric: str, span: Span, scope: Scope | None, *, user: str | None = None, team: str | None = None
) -> list[dict[str, Any]]:
    key = f"dash:records:{metric}:{span.date_from}:{span.date_to}:{_scope_key(scope)}:{user}:{team}"
    found = cache.get(key)
    if found is None:
        found = metric_records(
            metric=metric, date_from=span.date_from, date_to=span.date_to, scope=scope, user=user, team=team
        )
        cache.set(key, found, _ttl(span))
    return found


@dataclasses.dataclass(frozen=True)
class Person:
    id: int
    ref: str
    name: str
    team_id: int | None
    role: str


def people(scope: Scope) -> list[Person]:
    """The users this scope may see, by name (one query)."""
    rows = scoped(User.objects.filter(is_active=True), scope).order_by("name", "id")
    return [Person(u.pk, u.ref, u.name or u.username, u.team_id, u.role) for u in rows]


def teams(scope: Scope) -> list[Team]:
    return list(scoped(Team.objects.all(), scope).order_by("name"))


def engine_for(
    span: Span,
    scope: Scope | None,
    *,
    source: str | None = None,
    items: bool = False,
    sources: set[str] | None = None,
) -> tuple[Engine, list[int] | None]:
    """The analytics engine over the span, optionally with leads of one contact source only.

    `items`: load every record (the engine's fast path keeps values only); needed for engine.items and `source`.
    `sources`: load only these sources' records (for lists; such an engine gives no metric values).
    Returns the engine and the owners the scope may see (None: the whole department).
    """
    period = make_period(date_from=span.date_from, date_to=span.date_to)
    facts = collect(period, fast=False, sources=sources) if items or sources else collect(period)
    if source is not None:
        facts = dataclasses.replace(facts, leads=[lead for lead in facts.leads if lead.source == source])
    seen = audience(facts.users, facts.teams, scope)
    owners = None if seen.department is None else [o for o in seen.department if o is not None]
    return Engine(facts), owners


def as_of_label(report_json: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(report_json["period"]["as_of"])


def sources(scope: Scope) -> list[str]:
    """The contact sources this scope may see (for the funnel's filter)."""
    rows = scoped(Contact.objects.all(), scope).order_by().values_list("source", flat=True).distinct()
    return sorted(set(rows))
