"""Reads of deals, always through the reader's scope."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from salescope.accounts.models import User
from salescope.core.scope import Scope, scoped

from .models import Deal, DealItem, Pipeline, Stage, StageChange


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
