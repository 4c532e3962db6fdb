from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salescope.accounts.models import User
from salescope.analytics import state as analytics_state
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.core.refs import new_ref

from .models import Deal, DealItem, LossReason, Pipeline, Product, Stage, StageChange, StageKind


@dataclass(frozen=True)
class ItemLine:
    product: Product
    quantity: int
    price: Decimal


@transaction.atomic
def pipeline_create(*, name: str, stages: Iterable[tuple[str, str, str]], ref: str | None = None) -> Pipeline:
    """`stages` are (ref, name, kind) in funnel order: open stages first."""
    pipeline = Pipeline.objects.create(ref=ref or new_ref("pipeline"), name=name)
    Stage.objects.bulk_create(
        Stage(pipeline=pipeline, ref=sref, name=sname, kind=kind, position=i)
        for i, (sref, sname, kind) in enumerate(stages)
    )
    return pipeline


def items_total(items: Iterable[ItemLine]) -> Decimal:
    return sum((i.price * i.quantity for i in items), Decimal("0.00"))


@transaction.atomic
def deal_create(
    *,
    contact: Contact,
    owner: User,
    pipeline: Pipeline,
    amount: Decimal | None = None,
    created_at: dt.datetime | None = None,
    title: str = "",
    items: Iterable[ItemLine] = (),
    stage: Stage | None = None,
    by: User | None = None,
    ref: str | None = None,
) -> Deal:
    """Open a deal and write its first stage change at its creation time."""
    lines = list(items)
    if lines:
        total = items_total(lines)
        if amount is not None and amount != total:
            raise ServiceError("amount", f"{amount} differs from the items' total {total}")
        amount = total
    if amount is None or amount < 0:
        raise ServiceError("amount", "a deal needs a non-negative amount")
    first = stage or pipeline.stages.filter(kind=StageKind.OPEN).order_by("position").first()
    if first is None or first.pipeline_id != pipeline.pk:
        raise ServiceError("stage", f"pipeline {pipeline.ref} has no such stage")
    at = created_at or timezone.now()
    deal = Deal.objects.create(
        ref=ref or new_ref("deal"),
        contact=contact,
        owner=owner,
        pipeline=pipeline,
        created_at=at,
        amount=amount,
        title=title,
        stage=first,
        stage_changed_at=at,
    )
    DealItem.objects.bulk_create(
        DealItem(deal=deal, product=line.product, quantity=line.quantity, price=line.price, position=i)
        for i, line in enumerate(lines)
    )
    StageChange.objects.create(deal=deal, stage=first, at=at, by=by or owner)
    analytics_state.deal_created(deal)
    return deal


@transaction.atomic
def deal_move_stage(
    *,
    deal: Deal,
    stage: Stage,
    at: dt.datetime | None = None,
    by: User | None = None,
    loss_reason: str | None = None,
    amount: Decimal | None = None,
) -> StageChange:
    """Move a deal; the stage change is written in the same transaction as the move.

    `amount` (only with a won stage) is the amount confirmed at the win; a deal with items keeps their total.
    """
    locked = Deal.objects.select_for_update().get(pk=deal.pk)
    if stage.pipeline_id != locked.pipeline_id:
        raise ServiceError("stage", f"stage {stage.ref} is not in the deal's pipeline")
    if amount is not None:
        _check_won_amount(locked, stage, amount)
    when = at or timezone.now()
    if when < locked.created_at:
        raise ServiceError("at", "a stage change cannot precede the deal's creation")
    change = StageChange.objects.create(deal=locked, stage=stage, at=when, by=by)
    fields = []
    if locked.stage_changed_at is None or when >= locked.stage_changed_at:
        locked.stage, locked.stage_changed_at = stage, when
        fields += ["stage", "stage_changed_at"]
    if loss_reason is not None and stage.kind == StageKind.LOST:
        locked.loss_reason = loss_reason
        fields.append("loss_reason")
    if amount is not None and amount != locked.amount:
        locked.amount = amount
        fields.append("amount")
    if fields:
        locked.save(update_fields=fields)
    analytics_state.deal_stage_changed(locked.pk)
    deal.stage, deal.stage_changed_at, deal.loss_reason = locked.stage, locked.stage_changed_at, locked.loss_reason
    deal.amount = locked.amount
    return change


def _check_won_amount(deal: Deal, stage: Stage, amount: Decimal) -> None:
    if stage.kind != StageKind.WON:
        raise ServiceError("amount", "an amount is confirmed only when a deal is won")
    if amount < 0:
        raise ServiceError("amount", "a deal needs a non-negative amount")
    lines = [ItemLine(i.product, i.quantity, i.price) for i in deal.items.select_related("product")]
    if lines and amount != items_total(lines):
        raise ServiceError("amount", f"{amount} differs from the items' total {items_total(lines)}")


def deal_refresh_current_stage(deal_ids: Iterable[int]) -> None:
    """Recompute the cached latest stage from the history (after a bulk import)."""
    latest: dict[int, StageChange] = {}
    for change in StageChange.objects.filter(deal_id__in=list(deal_ids)).order_by("deal_id", "at", "id"):
        latest[change.deal_id] = change
    deals = []
    for deal_id, change in latest.items():
        deals.append(Deal(pk=deal_id, stage_id=change.stage_id, stage_changed_at=change.at))
    Deal.objects.bulk_update(deals, ["stage", "stage_changed_at"], batch_size=1000)


def loss_reasons_ensure(names: Iterable[str]) -> None:
    """Offer these loss reasons (in this order, after the ones already listed)."""
    start = LossReason.objects.count()
    for offset, name in enumerate(names):
        LossReason.objects.get_or_create(name=name, defaults={"position": start + offset + 1})
