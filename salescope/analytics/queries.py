"""Every read the analytics engine makes: a few set-wise queries per report, no per-row queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from salescope.accounts.models import Team, User
from salescope.activities.models import Activity
from salescope.billing.models import Invoice, Payment, Plan
from salescope.deals.models import Deal, DealItem, Pipeline, Stage, StageChange
from salescope.followups.models import Task
from salescope.marketing.models import AdSpend
from salescope.quality.models import QAReview

from .period import Period

Row = dict[str, Any]

# metrics.md "Terms": a touch reached the client; a reply attempt is a touch or any outbound call.
TOUCH_Q = (
    Q(kind="call", status="answered")
    | Q(kind__in=["email", "message"], direction="out")
    | Q(kind__in=["proposal", "meeting"])
)
REPLY_ATTEMPT_Q = TOUCH_Q | Q(kind="call", direction="out")

ACTIVITY_FIELDS = (
    "id",
    "ref",
    "user_id",
    "kind",
    "direction",
    "status",
    "duration_s",
    "wait_s",
    "contact_id",
    "contact__ref",
    "deal_id",
    "started_at",
)


def _rows(queryset: Any) -> list[Row]:
    """Materialise a .values() queryset as plain dict rows."""
    return list(queryset)


def users() -> list[Row]:
    return _rows(User.objects.order_by("ref").values("id", "ref", "team_id"))


def teams() -> list[Row]:
    return _rows(Team.objects.order_by("ref").values("id", "ref"))


def pipelines() -> list[Row]:
    return _rows(Pipeline.objects.order_by("ref").values("id", "ref"))


def stages() -> list[Row]:
    return _rows(Stage.objects.order_by("pipeline_id", "position").values("id", "ref", "kind", "pipeline_id"))


def activities_from_period_start(period: Period, until: dt.datetime) -> list[Row]:
    """Activities that exist (started at or before as_of) started in [P.start, until]."""
    last = min(until, period.as_of)
    rows = Activity.objects.filter(started_at__gte=period.start, started_at__lte=last)
    return _rows(rows.order_by("started_at", "id").values(*ACTIVITY_FIELDS))


def first_touch_times(period: Period) -> dict[int, dt.datetime]:
    """contact id → time of its first touch ever (up to as_of), for contacts whose first touch is in P."""
    touched_in_period = Activity.objects.filter(
        TOUCH_Q, started_at__gte=period.start, started_at__lt=period.end, started_at__lte=period.as_of
    ).values("contact_id")
    firsts = (
        Activity.objects.filter(TOUCH_Q, contact_id__in=touched_in_period, started_at__lte=period.as_of)
        .values("contact_id")
        .annotate(first=Min("started_at"))
        .filter(first__gte=period.start, first__lt=period.end)
    )
    return {row["contact_id"]: row["first"] for row in firsts}


def _first_activity(condition: Q, field: str) -> Subquery:
    return Subquery(Activity.objects.filter(condition).order_by("started_at", "id").values(field)[:1])


def leads(period: Period) -> list[Row]:
    """Deals created in P (that exist), with the first reply attempt to their contact since creation."""
    response = (
        REPLY_ATTEMPT_Q
        & Q(contact_id=OuterRef("contact_id"))
        & Q(started_at__gte=OuterRef("created_at"), started_at__lte=period.as_of)
    )
    annotated = _created_in(period).annotate(
        response_at=_first_activity(response, "started_at"),
        response_ref=_first_activity(response, "ref"),
    )
    rows = annotated.order_by("created_at", "id").values(
        "id",
        "ref",
        "owner_id",
        "contact_id",
        "created_at",
        "amount",
        "pipeline_id",
        "response_at",
        "response_ref",
        contact_ref=F("contact__ref"),
        source=F("contact__source"),
        campaign=F("contact__campaign"),
    )
    return _rows(rows)


def _created_in(period: Period) -> QuerySet[Deal]:
    return Deal.objects.filter(created_at__gte=period.start, created_at__lt=period.end, created_at__lte=period.as_of)


def callbacks(period: Period) -> list[Row]:
    """Callback tasks due in P, due and created at or before as_of, with the user's first call to the client."""
    call = Q(kind="call", direction="out", user_id=OuterRef("user_id"), contact_id=OuterRef("client_id")) & Q(
        started_at__gte=OuterRef("created_at"), started_at__lte=period.as_of
    )
    rows = (
        Task.objects.filter(
            kind="callback",
            due_at__gte=period.start,
            due_at__lt=period.end,
            due_at__lte=period.as_of,
            created_at__lte=period.as_of,
        )
        .annotate(client_id=Coalesce("contact_id", "deal__contact_id"))
        .annotate(call_at=_first_activity(call, "started_at"), call_ref=_first_activity(call, "ref"))
        .order_by("due_at", "id")
        .values("id", "ref", "user_id", "created_at", "due_at", "client_id", "call_at", "call_ref")
    )
    return _rows(rows)


def _deals_moved_or_created_in(period: Period) -> QuerySet[Deal]:
    moved = StageChange.objects.filter(
        deal_id=OuterRef("pk"), at__gte=period.start, at__lt=period.end, at__lte=period.as_of
    )
    created = Q(created_at__gte=period.start, created_at__lt=period.end, created_at__lte=period.as_of)
    return Deal.objects.filter(Exists(moved) | created)


def history_deals(period: Period) -> list[Row]:
    """Deals moved or created in P, and every other existing deal of their contacts."""
    contacts = _deals_moved_or_created_in(period).values("contact_id")
    rows = Deal.objects.filter(contact_id__in=contacts, created_at__lte=period.as_of).order_by("id")
    return _rows(
        rows.values("id", "ref", "owner_id", "contact_id", "created_at", "amount", "loss_reason", "pipeline_id")
    )


def stage_changes(period: Period) -> list[Row]:
    """The stage history up to as_of of the deals of `history_deals`, in history order."""
    contacts = _deals_moved_or_created_in(period).values("contact_id")
    rows = StageChange.objects.filter(
        deal__contact_id__in=contacts, deal__created_at__lte=period.as_of, at__lte=period.as_of
    )
    return _rows(rows.order_by("deal_id", "at", "id").values("deal_id", "stage_id", "at"))


def linked_activities(period: Period) -> list[Row]:
    """Activities other than notes linked to the deals moved or created in P (existing ones)."""
    deals = _deals_moved_or_created_in(period).values("pk")
    rows = Activity.objects.filter(deal_id__in=deals, started_at__lte=period.as_of).exclude(kind="note")
    return _rows(rows.order_by().values("deal_id", "kind", "direction", "status", "started_at"))


def deal_products(period: Period) -> list[Row]:
    deals = _deals_moved_or_created_in(period).values("pk")
    return _rows(DealItem.objects.filter(deal_id__in=deals).values("deal_id", "product_id"))


def invoices(period: Period) -> list[Row]:
    rows = Invoice.objects.filter(issued_at__gte=period.start, issued_at__lt=period.end, issued_at__lte=period.as_of)
    return _rows(
        rows.order_by("issued_at", "id").values(
            "ref", "amount", "issued_at", owner_id=F("deal__owner_id"), deal_ref=F("deal__ref")
        )
    )


def payments(period: Period) -> list[Row]:
    rows = Payment.objects.filter(paid_at__gte=period.start, paid_at__lt=period.end, paid_at__lte=period.as_of)
    return _rows(
        rows.order_by("paid_at", "id").values(
            "ref",
            "amount",
            "paid_at",
            owner_id=F("invoice__deal__owner_id"),
            invoice_ref=F("invoice__ref"),
            deal_ref=F("invoice__deal__ref"),
        )
    )


def _existing_reviews(period: Period) -> QuerySet[QAReview]:
    return QAReview.objects.filter(at__lte=period.as_of, activity__started_at__lte=period.as_of)


def reviews(period: Period) -> list[Row]:
    """Existing QA reviews of calls started in P."""
    rows = _existing_reviews(period).filter(
        activity__kind="call", activity__started_at__gte=period.start, activity__started_at__lt=period.end
    )
    return _rows(
        rows.order_by("at", "id").values(
            "id",
            "at",
            "scores",
            "max",
            owner_id=F("activity__user_id"),
            call_ref=F("activity__ref"),
            reviewer_ref=F("reviewer__ref"),
        )
    )


def scored_criteria(period: Period) -> set[str]:
    """Every criterion scored by any existing review."""
    found: set[str] = set()
    for scores in _existing_reviews(period).values_list("scores", flat=True):
        if isinstance(scores, dict):
            found.update(scores)
    return found


def plans(months: Iterable[dt.date]) -> list[Row]:
    return _rows(Plan.objects.filter(month__in=list(months)).values("month", "metric", "target", "user_id", "team_id"))


def ad_spend(period: Period) -> list[Row]:
    last = min(period.date_to, period.as_of_date)
    rows = AdSpend.objects.filter(date__gte=period.date_from, date__lte=last)
    return _rows(rows.order_by("date", "source", "campaign").values("date", "source", "campaign", "amount"))
