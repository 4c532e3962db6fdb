"""The manager's day: what needs doing now, gathered from the query modules and the analytics engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation

from salescope.activities.models import Activity
from salescope.activities.queries import missed_calls_unreturned
from salescope.analytics.registry import metric_by_key
from salescope.analytics.report import build_report
from salescope.core.scope import Scope
from salescope.deals.models import Deal
from salescope.deals.queries import leads_awaiting_response
from salescope.followups.models import Task
from salescope.followups.queries import callbacks_due, other_open_tasks

FIRST_RESPONSE_SLA_S = 900  # metrics.md: first_response_sla_rate counts responses within 900 s
LEADS_WINDOW = dt.timedelta(days=7)  # a lead older than a week is no longer "new"
MISSED_CALLS_WINDOW = dt.timedelta(days=7)
MONTH_METRICS = ("revenue_won", "deals_won", "paid", "calls_out", "leads_new", "win_rate")


@dataclass(frozen=True)
class WaitingLead:
    deal: Deal
    waited_s: int

    @property
    def late(self) -> bool:
        return self.waited_s > FIRST_RESPONSE_SLA_S


@dataclass(frozen=True)
class MonthFigure:
    key: str
    label: str
    unit: str
    value: Any
    target: str | None = None
    rate: float | None = None


@dataclass
class MyDay:
    now: dt.datetime
    leads: list[WaitingLead]
    callbacks: list[Task]
    missed_calls: list[Activity]
    tasks: list[Task]


@dataclass
class MyMonth:
    month_from: dt.date
    month_to: dt.date
    figures: list[MonthFigure] = field(default_factory=list)


def _month_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def month_so_far(*, scope: Scope, user_ref: str) -> MyMonth:
    """This calendar month up to now, for one user, as the analytics engine reports it (with the plan)."""
    now = timezone.now()
    first, last = _month_bounds(timezone.localdate(now))
    month = MyMonth(month_from=first, month_to=last)
    report = build_report(date_from=first, date_to=last, as_of=now, scope=scope, user=user_ref)
    values = report["users"].get(user_ref)
    if values is None:
        return month
    plan = values.get("plan", {})
    russian = (translation.get_language() or "").startswith("ru")
    for key in MONTH_METRICS:
        metric = metric_by_key(key, [])
        target = plan.get(key)
        month.figures.append(
            MonthFigure(
                key=key,
                label=metric.label_ru if russian else metric.label_en,
                unit=metric.unit,
                value=values[key],
                target=target["target"] if target else None,
                rate=target["rate"] if target else None,
            )
        )
    return month


def my_day(*, scope: Scope) -> MyDay:
    now = timezone.now()
    today = timezone.localdate(now)
    end_of_today = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    leads = [
        WaitingLead(deal, int((now - deal.created_at).total_seconds()))
        for deal in leads_awaiting_response(scope=scope, since=now - LEADS_WINDOW)
    ]
    return MyDay(
        now=now,
        leads=leads,
        callbacks=callbacks_due(scope=scope, user_id=scope.user_id, until=end_of_today),
        missed_calls=missed_calls_unreturned(scope=scope, since=now - MISSED_CALLS_WINDOW),
        tasks=other_open_tasks(scope=scope, user_id=scope.user_id),
    )
