from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from salescope.core.admin import ReadOnlyTabularInline, ScopedAdmin, ScopedTabularInline
from salescope.core.errors import ServiceError

from .models import Deal, DealItem, LossReason, Pipeline, Product, Stage, StageChange
from .services import deal_create, deal_move_stage


class StageInline(ScopedTabularInline):
    model = Stage
    fields = ["position", "name", "kind", "ref"]
    ordering = ["position"]
    head_can_edit = False


@admin.register(Pipeline)
class PipelineAdmin(ScopedAdmin):
    scope_rule = False
    head_can_edit = False
    ref_prefix = "pipeline"
    list_display = ["name", "ref"]
    search_fields = ["name", "ref"]
    inlines = [StageInline]


@admin.register(Product)
class ProductAdmin(ScopedAdmin):
    scope_rule = False
    head_can_edit = False
    ref_prefix = "product"
    list_display = ["name", "price", "ref"]
    search_fields = ["name", "ref"]


class DealItemInline(ScopedTabularInline):
    model = DealItem
    fields = ["position", "product", "quantity", "price"]
    autocomplete_fields = ["product"]


class StageHistoryInline(ReadOnlyTabularInline):
    model = StageChange
    fields = ["at", "stage", "by"]
    readonly_fields = ["at", "stage", "by"]
    ordering = ["at", "id"]
    verbose_name_plural = _("stage history")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("stage", "by")


class DealAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The stage is never edited: `move_to` records a move through deal_move_stage (or opens the deal there)."""

    move_to = forms.ModelChoiceField(
        label=_("move to stage"),
        queryset=Stage.objects.select_related("pipeline").order_by("pipeline_id", "position"),
        required=False,
        help_text=_("Recorded in the stage history at the moment of saving."),
    )
    move_loss_reason = forms.CharField(label=_("loss reason"), max_length=300, required=False)

    class Meta:
        model = Deal
        fields = ["ref", "title", "contact", "owner", "pipeline", "amount", "created_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stage: Stage | None = data.get("move_to")
        pipeline = data.get("pipeline") or (self.instance.pipeline if self.instance.pk else None)
        if stage is not None and pipeline is not None and stage.pipeline_id != pipeline.pk:
            self.add_error("move_to", _("This stage is not in the deal's pipeline."))
        return data


@admin.register(Deal)
class DealAdmin(ScopedAdmin):
    form = DealAdminForm
    ref_prefix = "deal"
    list_display = ["__str__", "contact", "owner", "pipeline", "stage", "amount", "created_at", "stage_changed_at"]
    list_filter = ["pipeline", "stage", ("owner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["contact", "owner", "pipeline", "stage"]
    search_fields = ["title", "ref", "contact__name", "contact__company"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["contact", "owner"]
    inlines = [DealItemInline, StageHistoryInline]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        editable = ["title", "contact", "owner", "amount", "loss_reason", "move_to", "move_loss_reason"]
        if obj is None:
            return ["ref", "pipeline", "created_at", *[f for f in editable if f != "loss_reason"]]
        return ["ref", "pipeline", "created_at", "stage", "stage_changed_at", *editable]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # History anchors (pipeline, creation time) and the cached current stage are never edited here.
        if obj is None:
            return []
        return ["ref", "pipeline", "created_at", "stage", "stage_changed_at", "loss_reason"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        target: Stage | None = form.cleaned_data.get("move_to")
        reason = form.cleaned_data.get("move_loss_reason") or None
        if not change:
            created = deal_create(
                contact=obj.contact,
                owner=obj.owner,
                pipeline=obj.pipeline,
                amount=obj.amount,
                created_at=obj.created_at,
                title=obj.title,
                stage=target,
                by=request.user,  # type: ignore[arg-type]
                ref=obj.ref or None,
            )
            obj.pk, obj.ref, obj._state.adding, obj._state.db = created.pk, created.ref, False, created._state.db
            obj.stage, obj.stage_changed_at = created.stage, created.stage_changed_at
            return
        super().save_model(request, obj, form, change)
        if target is not None:
            try:
                deal_move_stage(deal=obj, stage=target, by=request.user, loss_reason=reason)  # type: ignore[arg-type]
            except ServiceError as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.register(StageChange)
class StageChangeAdmin(ScopedAdmin):
    """The stage history is append-only: it is read here and written only by deal services."""

    head_can_edit = False
    list_display = ["deal", "stage", "at", "by"]
    list_filter = ["stage__pipeline", "stage"]
    list_select_related = ["deal", "stage", "by"]
    search_fields = ["deal__ref", "deal__title"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LossReason)
class LossReasonAdmin(ScopedAdmin):
    """The list a manager picks from when a deal is lost; heads and admins keep it."""

    scope_rule = False
    list_display = ["name", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name"]
