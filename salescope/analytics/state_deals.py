"""Per-deal analytics state (models.DealFact): what a deal's stage history and linked activities say as of the
latest write. Kept by the deal and activity services in their transaction; rebuilt in SQL after a bulk write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from salescope.activities.models import Activity
from salescope.contacts.models import Contact
from salescope.deals.models import Deal, DealItem, Stage, StageChange

from .models import DealFact
from .queries import REPLY_ATTEMPT_Q
from .terms import is_touch, reply_attempt_sql, touch_sql

CLOSED_KINDS = ("won", "lost")


def stage_numbers(stages: Iterable[tuple[int, str, int]]) -> dict[int, int]:
    """Stage id → funnel number: a pipeline's open stages 1..k in order, its won stages k + 1, lost 0.

    `stages` are (id, kind, pipeline id) ordered by pipeline, position and id."""
    rows = list(stages)
    opens: dict[int, list[int]] = defaultdict(list)
    for stage_id, kind, pipeline_id in rows:
        if kind == "open":
            opens[pipeline_id].append(stage_id)
    numbers = {}
    for stage_id, kind, pipeline_id in rows:
        if kind == "open":
            numbers[stage_id] = opens[pipeline_id].index(stage_id) + 1
        elif kind == "won":
            numbers[stage_id] = len(opens[pipeline_id]) + 1
        else:
            numbers[stage_id] = 0
    return numbers


def _stages() -> tuple[dict[int, str], dict[int, int]]:
    rows = list(Stage.objects.order_by("pipeline_id", "position", "id").values_list("id", "kind", "pipeline_id"))
    return {row[0]: row[1] for row in rows}, stage_numbers(rows)


def deal_facts_refresh(deal_ids: Iterable[int]) -> None:
    """Recompute the facts of these deals, and of the other deals of their contacts (whose repeat flags
    depend on them), from the raw history, activities and items."""
    wanted = set(deal_ids)
    if not wanted:
        return
    contacts = Deal.objects.filter(pk__in=wanted).values("contact_id")
    ids = sorted(Deal.objects.filter(contact_id__in=contacts).values_list("id", flat=True))
    if not ids:
        return
    kinds, numbers = _stages()
    histories: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for deal_id, stage_id, at in (
        StageChange.objects.filter(deal_id__in=ids)
        .order_by("deal_id", "at", "id")
        .values_list("deal_id", "stage_id", "at")
    ):
        histories[deal_id].append((stage_id, at))
    linked: dict[int, list[tuple[str, str, str, dt.datetime]]] = defaultdict(list)
    for deal_id, kind, direction, status, started_at in (
        Activity.objects.filter(deal_id__in=ids)
        .exclude(kind="note")
        .values_list("deal_id", "kind", "direction", "status", "started_at")
    ):
        linked[deal_id].append((kind, direction, status, started_at))
    products: dict[int, set[int]] = defaultdict(set)
    for deal_id, product_id in DealItem.objects.filter(deal_id__in=ids).values_list("deal_id", "product_id"):
        products[deal_id].add(product_id)
    deals = list(
        Deal.objects.filter(pk__in=ids).values_list(
            "id",
            "contact_id",
            "created_at",
            "owner_id",
            "pipeline_id",
            "amount",
            "loss_reason",
            "contact__source",
            "contact__campaign",
        )
    )
    attempts = reply_attempts({row[1] for row in deals})
    facts = []
    contact_of: dict[int, tuple[int, dt.datetime]] = {}
    for deal_id, contact_id, created_at, owner_id, pipeline_id, amount, loss_reason, source, campaign in deals:
        contact_of[deal_id] = (contact_id, created_at)
        response = first_response(attempts[contact_id], created_at)
        history = histories.get(deal_id, [])
        current = kinds[history[-1][0]] if history else ""
        closed_at = history[-1][1] if current in CLOSED_KINDS else None
        lost_at = None
        if current == "lost":
            lost_at = next((s for s, _ in reversed(history[:-1]) if kinds[s] in ("open", "won")), None)
        activities = linked.get(deal_id, [])
        facts.append(
            DealFact(
                deal_id=deal_id,
                owner_id=owner_id,
                pipeline_id=pipeline_id,
                contact_id=contact_id,
                created_at=created_at,
                amount_cents=cents(amount),
                loss_reason=loss_reason or "",
                source=source or "",
                campaign=campaign or "",
                response_id=response[0],
                response_at=response[1],
                current_kind=current,
                closed_at=closed_at,
                reach=max((numbers[s] for s, _ in history), default=0),
                lost_at_stage_id=lost_at,
                start_at=min([created_at, *(a[3] for a in activities)]),
                touches=0
                if closed_at is None
                else sum(1 for k, d, s, at in activities if is_touch(k, d, s) and at <= closed_at),
                products=len(products.get(deal_id, ())),
            )
        )
    won_at: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)  # contact → (deal, closed_at) of won deals
    for fact in facts:
        if fact.current_kind == "won" and fact.closed_at is not None:
            won_at[contact_of[fact.deal_id][0]].append((fact.deal_id, fact.closed_at))
    for fact in facts:
        contact_id, created_at = contact_of[fact.deal_id]
        fact.is_repeat = any(other != fact.deal_id and closed < created_at for other, closed in won_at[contact_id])
    DealFact.objects.filter(deal_id__in=ids).delete()
    DealFact.objects.bulk_create(facts)


Attempt = tuple[int, dt.datetime]  # (activity id, started_at)


def reply_attempts(contact_ids: Iterable[int]) -> dict[int, list[Attempt]]:
    """Each contact's reply attempts, in order (started_at, id)."""
    found: dict[int, list[Attempt]] = defaultdict(list)
    for contact_id, activity_id, started_at in (
        Activity.objects.filter(REPLY_ATTEMPT_Q, contact_id__in=list(contact_ids))
        .order_by("started_at", "id")
        .values_list("contact_id", "id", "started_at")
    ):
        found[contact_id].append((activity_id, started_at))
    return found


def first_response(attempts: list[Attempt], created_at: dt.datetime) -> tuple[int | None, dt.datetime | None]:
    """A deal's first response: its contact's first reply attempt at or after the deal's creation."""
    return next(((i, t) for i, t in attempts if t >= created_at), (None, None))


def deal_fact_created(deal: Deal) -> None:
    """A deal just written with its first stage change and items: nothing is linked to it yet."""
    stage = deal.stage
    if stage is None or stage.kind in CLOSED_KINDS:  # born closed: its contact's other deals may become repeats
        deal_facts_refresh([deal.pk])
        return
    _, numbers = _stages()
    won_before = DealFact.objects.filter(
        contact_id=deal.contact_id, current_kind="won", closed_at__lt=deal.created_at
    ).exclude(deal_id=deal.pk)
    response = (
        Activity.objects.filter(REPLY_ATTEMPT_Q, contact_id=deal.contact_id, started_at__gte=deal.created_at)
        .order_by("started_at", "id")
        .values_list("id", "started_at")
        .first()
    ) or (None, None)
    source, campaign = Contact.objects.filter(pk=deal.contact_id).values_list("source", "campaign").get()
    DealFact.objects.create(
        deal_id=deal.pk,
        owner_id=deal.owner_id,
        pipeline_id=deal.pipeline_id,
        contact_id=deal.contact_id,
        created_at=deal.created_at,
        amount_cents=cents(deal.amount),
        loss_reason=deal.loss_reason or "",
        source=source or "",
        campaign=campaign or "",
        response_id=response[0],
        response_at=response[1],
        current_kind=stage.kind,
        reach=numbers.get(stage.pk, 0),
        start_at=deal.created_at,
        products=DealItem.objects.filter(deal_id=deal.pk).values("product_id").distinct().count(),
        is_repeat=won_before.exists(),
    )


def contact_fields_changed(contact_id: int) -> None:
    """The contact's source or campaign changed: its deals' copies follow."""
    source, campaign = Contact.objects.filter(pk=contact_id).values_list("source", "campaign").get()
    DealFact.objects.filter(contact_id=contact_id).update(source=source or "", campaign=campaign or "")


def cents(amount: Decimal | None) -> int:
    """Whole cents, as the report's SQL rounds them (amounts have two decimal places)."""
    return int((amount or Decimal(0)).scaleb(2).to_integral_value(ROUND_HALF_UP))


# --------------------------------------------------------------------------- bulk


def rebuild_deal_facts() -> None:
    """All deal facts from the raw tables in one statement (window functions; PostgreSQL and SQLite)."""
    _, numbers = _stages()
    number = "CASE c.stage_id " + " ".join(f"WHEN {int(k)} THEN {int(v)}" for k, v in numbers.items()) + " ELSE 0 END"
    if not numbers:
        number = "0"
    touch = touch_sql("x")
    sql = (
        "WITH h AS (SELECT c.deal_id, c.stage_id, c.at, s.kind, "
        f"{number} AS number, "
        "ROW_NUMBER() OVER (PARTITION BY c.deal_id ORDER BY c.at DESC, c.id DESC) AS back "
        "FROM deals_stagechange c JOIN deals_stage s ON s.id = c.stage_id), "
        "last AS (SELECT deal_id, kind, at FROM h WHERE back = 1), "
        "reach AS (SELECT deal_id, MAX(number) AS reach FROM h GROUP BY deal_id), "
        "lost_at AS (SELECT deal_id, stage_id FROM (SELECT deal_id, stage_id, "
        "ROW_NUMBER() OVER (PARTITION BY deal_id ORDER BY back) AS k FROM h "
        "WHERE back > 1 AND kind IN ('open', 'won')) AS o WHERE k = 1), "
        "firsts AS (SELECT deal_id, MIN(started_at) AS first FROM activities_activity "
        "WHERE deal_id IS NOT NULL AND kind <> 'note' GROUP BY deal_id), "
        "touches AS (SELECT x.deal_id, COUNT(*) AS n FROM activities_activity x JOIN last l ON l.deal_id = x.deal_id "
        f"WHERE l.kind IN ('won', 'lost') AND x.started_at <= l.at AND {touch} GROUP BY x.deal_id), "
        "products AS (SELECT deal_id, COUNT(DISTINCT product_id) AS n FROM deals_dealitem GROUP BY deal_id) "
        "INSERT INTO analytics_dealfact (deal_id, owner_id, pipeline_id, contact_id, created_at, amount_cents, "
        "loss_reason, source, campaign, current_kind, closed_at, reach, lost_at_stage_id, start_at, touches, "
        "products, is_repeat) "
        "SELECT d.id, d.owner_id, d.pipeline_id, d.contact_id, d.created_at, CAST(ROUND(d.amount * 100) AS BIGINT), "
        "COALESCE(d.loss_reason, ''), COALESCE(ct.source, ''), COALESCE(ct.campaign, ''), "
        "COALESCE(l.kind, ''), CASE WHEN l.kind IN ('won', 'lost') THEN l.at END, "
        "COALESCE(r.reach, 0), CASE WHEN l.kind = 'lost' THEN la.stage_id END, "
        "CASE WHEN f.first IS NOT NULL AND f.first < d.created_at THEN f.first ELSE d.created_at END, "
        "COALESCE(t.n, 0), COALESCE(p.n, 0), FALSE FROM deals_deal d JOIN contacts_contact ct ON ct.id = d.contact_id "
        "LEFT JOIN last l ON l.deal_id = d.id "
        "LEFT JOIN reach r ON r.deal_id = d.id LEFT JOIN lost_at la ON la.deal_id = d.id "
        "LEFT JOIN firsts f ON f.deal_id = d.id LEFT JOIN touches t ON t.deal_id = d.id "
        "LEFT JOIN products p ON p.deal_id = d.id"
    )
    repeat = (
        "UPDATE analytics_dealfact SET is_repeat = TRUE WHERE deal_id IN (SELECT f.deal_id FROM analytics_dealfact f "
        "JOIN analytics_dealfact f2 ON f2.contact_id = f.contact_id AND f2.deal_id <> f.deal_id "
        "WHERE f2.current_kind = 'won' AND f2.closed_at < f.created_at)"
    )
    response = (  # the first reply attempt to the contact at or after the deal's creation
        "UPDATE analytics_dealfact SET (response_id, response_at) = (SELECT b.id, b.started_at "
        "FROM activities_activity b WHERE b.contact_id = analytics_dealfact.contact_id "
        f"AND b.started_at >= analytics_dealfact.created_at AND {reply_attempt_sql('b')} "
        "ORDER BY b.started_at, b.id LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.execute(repeat)
        cursor.execute(response)
