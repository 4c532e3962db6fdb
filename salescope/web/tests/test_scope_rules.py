"""The team-level rules added to core.scope: a team's plan and the team itself are seen by its members."""

import datetime as dt
from decimal import Decimal

from salescope.accounts.models import Team
from salescope.accounts.services import user_create
from salescope.billing.models import Plan
from salescope.billing.services import plan_set
from salescope.core.scope import scope_for, scoped

MARCH = dt.date(2026, 3, 1)


def _plans(user):
    return sorted(str(p.user or p.team) for p in scoped(Plan.objects.select_related("user", "team"), scope_for(user)))


def test_team_plans_are_seen_by_their_team(dept):
    for target in (dept.kolya, dept.petya, dept.vasya):
        plan_set(month=MARCH, metric="calls_out", target=Decimal("100.00"), user=target)
    for team in (dept.team_a, dept.team_b):
        plan_set(month=MARCH, metric="revenue_won", target=Decimal("1000000.00"), team=team)
    loner = user_create(username="solo", name="Соло")
    plan_set(month=MARCH, metric="calls_out", target=Decimal("5.00"), user=loner)

    assert _plans(dept.head_a) == ["Коля", "Москва", "Петя"]
    assert _plans(dept.kolya) == ["Коля", "Москва"]
    assert _plans(dept.head_b) == ["Вася", "Казань"]
    assert _plans(loner) == ["Соло"]
    assert len(_plans(dept.admin)) == 6


def test_teams_are_seen_by_their_members(dept):
    assert [t.ref for t in scoped(Team.objects.order_by("ref"), scope_for(dept.head_a))] == ["t-a"]
    assert [t.ref for t in scoped(Team.objects.order_by("ref"), scope_for(dept.vasya))] == ["t-b"]
    assert [t.ref for t in scoped(Team.objects.order_by("ref"), scope_for(dept.admin))] == ["t-a", "t-b"]
    loner = user_create(username="solo", name="Соло")
    assert list(scoped(Team.objects.all(), scope_for(loner))) == []
