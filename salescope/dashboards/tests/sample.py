"""Sample department shared by the dashboards tests and the browser tests."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from salescope.accounts.services import team_create, user_create
from salescope.activities.services import activity_record
from salescope.analytics.period import day_start
from salescope.contacts.services import contact_create
from salescope.deals.models import Stage
from salescope.deals.services import deal_create, deal_move_stage, pipeline_create

from ..periods import department_today


def make_department() -> SimpleNamespace:
    """A team with a head and two managers, a manager of another team; won/lost deals and calls today."""
    sales = team_create(name="Sales", ref="sales")
    other = team_create(name="Other", ref="other")
    head = user_create(
        username="head",
        name="Head Person",
        role="head",
        team=sales,
        password="pw",
        ref="head",
        email="head@example.com",
    )
    kolya = user_create(username="kolya", name="Kolya", team=sales, password="pw", ref="kolya")
    anna = user_create(username="anna", name="Anna", team=sales, password="pw", ref="anna")
    stranger = user_create(username="olga", name="Olga", team=other, password="pw", ref="olga")
    pipeline = pipeline_create(
        name="Main", ref="main", stages=[("new", "New", "open"), ("won", "Won", "won"), ("lost", "Lost", "lost")]
    )
    won = Stage.objects.get(ref="won")
    lost = Stage.objects.get(ref="lost")
    today = department_today()
    now = timezone.now()
    start = max(now - dt.timedelta(minutes=3), day_start(today, ZoneInfo(settings.TIME_ZONE)))
    refs: dict[str, list[str]] = {}
    for owner, amount, outcome in [
        (kolya, "1000.00", won),
        (kolya, "3000.00", won),
        (anna, "500.00", won),
        (anna, "0.00", lost),
        (stranger, "9999.00", won),
    ]:
        contact = contact_create(
            name=f"Client of {owner.name}", owner=owner, created_at=start - dt.timedelta(minutes=5)
        )
        deal = deal_create(contact=contact, owner=owner, pipeline=pipeline, amount=Decimal(amount), created_at=start)
        deal_move_stage(
            deal=deal,
            stage=outcome,
            at=start + dt.timedelta(minutes=1),
            loss_reason="price" if outcome == lost else None,
        )
        refs.setdefault(owner.ref, []).append(deal.ref)
        activity_record(
            kind="call",
            started_at=start + dt.timedelta(seconds=30),
            user=owner,
            contact=contact,
            direction="out",
            status="answered",
            duration_s=120,
        )
    return SimpleNamespace(head=head, kolya=kolya, anna=anna, stranger=stranger, today=today, deals=refs)
