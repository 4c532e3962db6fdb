"""Reads of deals, always through the reader's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from salescope.accounts.models import User
from salescope.core.scope import Scope, scoped

from .models import Deal, DealItem, LossReason, Pipeline, Stage, StageChange, StageKind


def deal_list(
    *, scope: Scope, pipeline_id: int | None = None, stage_id: int | None = None, owner_id: int | None = None
) -> QuerySet[Deal]:
    """The deals the scope may see, newest first, with their contact, owner, pipeline and current stage."""
    deals = scoped(Deal.objects.all(), scope)
    if pipeline_id is not None:
        deals = deals.filter(pipeline_id=pipeline_id)
    if stage_id is not None:
        deals = deals.filter(stage_id=stage_id)
    if owner_id is not None:
        deals = deals.filter(owner_id=owner_id)
    return deals.select_related("contact", "owner", "pipeline", "stage").order_by("-created_at", "-id")


def deal_detail(*, scope: Scope, deal_id: int) -> Deal:
    """One deal with its items and stage history (oldest first); Deal.DoesNotExist outside the scope."""
    deals = scoped(Deal.objects.all(), scope).select_related("contact", "owner", "pipeline", "stage")
    return deals.prefetch_related(
        Prefetch("items", queryset=DealItem.objects.select_related("product").order_by("position", "id")),
        Prefetch("stage_changes", queryset=StageChange.objects.select_related("stage", "by").order_by("at", "id")),
    ).get(pk=deal_id)


def pipelines_with_stages() -> list[Pipeline]:
    """Every pipeline with its stages in funnel order (pipelines are shared reference data)."""
    stages = Prefetch("stages", queryset=Stage.objects.order_by("position"))
    return list(Pipeline.objects.prefetch_related(stages).order_by("id"))


def deal_owner_choices(*, scope: Scope) -> QuerySet[User]:
    """The users whose deals the scope may see: the owner filter of the deal list."""
    return scoped(User.objects.all(), scope).order_by("name", "id")


def leads_awaiting_response(*, scope: Scope, since: dt.datetime, limit: int = 50) -> list[Deal]:
    """The scope user's own open deals created since `since` whose contact has had no reply attempt
    (metrics.md) since the deal was created: new leads waiting for a first response, oldest first."""
    from salescope.activities.models import Activity
    from salescope.activities.queries import reply_attempt_q

    replied = Activity.objects.filter(
        reply_attempt_q(), contact=OuterRef("contact"), started_at__gte=OuterRef("created_at")
    )
    deals = scoped(Deal.objects.filter(owner_id=scope.user_id, created_at__gte=since), scope)
    deals = deals.filter(stage__kind=StageKind.OPEN).filter(~Exists(replied))
    deals = deals.select_related("contact", "stage").prefetch_related("contact__phones")
    return list(deals.order_by("created_at", "id")[:limit])


BOARD_CLOSED_DAYS = 30
BOARD_COLUMN_LIMIT = 50


@dataclass(frozen=True)
class BoardColumn:
    stage: Stage
    deals: list[Deal]  # the BOARD_COLUMN_LIMIT most recently moved
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.deals)


def deal_board(*, scope: Scope, pipeline: Pipeline, now: dt.datetime) -> list[BoardColumn]:
    """A pipeline's board, one column per stage: every open deal and those won or lost in the last
    BOARD_CLOSED_DAYS days, the most recently moved first, at most BOARD_COLUMN_LIMIT cards a column.
    Two queries whatever the number of deals (`pipeline` comes with its stages prefetched)."""
    recent = now - dt.timedelta(days=BOARD_CLOSED_DAYS)
    on_board = scoped(Deal.objects.filter(pipeline=pipeline, stage__isnull=False), scope).filter(
        Q(stage__kind=StageKind.OPEN) | Q(stage_changed_at__gte=recent)
    )
    totals = dict(on_board.order_by().values_list("stage_id").annotate(n=Count("id")))
    newest = Window(RowNumber(), partition_by=[F("stage_id")], order_by=[F("stage_changed_at").desc(), F("id").desc()])
    shown = on_board.annotate(place=newest).filter(place__lte=BOARD_COLUMN_LIMIT)
    cards: dict[int, list[Deal]] = {}
    for deal in shown.select_related("contact", "owner").order_by("-stage_changed_at", "-id"):
        cards.setdefault(deal.stage_id, []).append(deal)  # type: ignore[arg-type]
    return [BoardColumn(stage, cards.get(stage.pk, []), totals.get(stage.pk, 0)) for stage in pipeline.stages.all()]


def deal_for_update(*, scope: Scope, deal_id: int) -> Deal:
    """A deal the scope may act on, with its pipeline and items; Deal.DoesNotExist outside the scope."""
    items = Prefetch("items", queryset=DealItem.objects.select_related("product").order_by("position", "id"))
    return (
        scoped(Deal.objects.all(), scope)
        .select_related("contact", "pipeline", "stage")
        .prefetch_related(items)
        .get(pk=deal_id)
    )


def loss_reasons() -> list[LossReason]:
    return list(LossReason.objects.filter(active=True).order_by("position", "name"))
