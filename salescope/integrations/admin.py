"""Integrations in the admin: switch each channel on, keep its settings, and see whether it is healthy."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Integration, RawEvent
from .services import queue_waiting_since


def _raw_count(status: str) -> Coalesce:
    """How many raw events of this integration have `status` (a subquery, so the list stays one query)."""
    counted = (
        RawEvent.objects.filter(integration=OuterRef("key"), status=status)
        .order_by()
        .values("integration")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted), 0)


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = (
        "key",
        "enabled",
        "last_event_at",
        "events_received",
        "events_queued",
        "events_ok",
        "events_rejected",
        "events_failed",
        "last_error_at",
        "last_error_short",
    )
    list_filter = ("enabled",)
    search_fields = ("key",)
    readonly_fields = ("last_event_at", "events_received", "last_error", "last_error_at")
    fieldsets = (
        (None, {"fields": ("key", "enabled", "config")}),
        (_("Status"), {"fields": ("last_event_at", "events_received", "last_error_at", "last_error")}),
    )
    actions = ("enable", "disable", "clear_error")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Integration]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                raw_queued=_raw_count(RawEvent.Status.QUEUED),
                raw_ok=_raw_count(RawEvent.Status.OK),
                raw_rejected=_raw_count(RawEvent.Status.REJECTED),
                raw_failed=_raw_count(RawEvent.Status.ERROR),
            )
        )

    def _count(self, obj: Integration, status: str) -> int:
        return int(getattr(obj, f"raw_{status}", 0) or 0)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        waiting = queue_waiting_since()
        if waiting is not None:
            self.message_user(
                request,
                _(
                    "Webhooks have been waiting in the queue since %(time)s: is the call queue worker "
                    "(salescope telephony_queue, started by salescope run) running?"
                )
                % {"time": date_format(timezone.localtime(waiting), "DATETIME_FORMAT")},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("queued"))
    def events_queued(self, obj: Integration) -> int:
        return self._count(obj, "queued")

    @admin.display(description=_("processed"))
    def events_ok(self, obj: Integration) -> int:
        return self._count(obj, "ok")

    @admin.display(description=_("rejected"))
    def events_rejected(self, obj: Integration) -> int:
        return self._count(obj, "rejected")

    @admin.display(description=_("errors"))
    def events_failed(self, obj: Integration) -> int:
        return self._count(obj, "failed")

    @admin.display(description=_("last error"))
    def last_error_short(self, obj: Integration) -> str:
        return obj.last_error[:80] + ("…" if len(obj.last_error) > 80 else "")

    @admin.action(description=_("Enable the selected integrations"))
    def enable(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        count = queryset.update(enabled=True)
        self.message_user(
            request, ngettext("%d integration enabled.", "%d integrations enabled.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Disable the selected integrations"))
    def disable(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        count = queryset.update(enabled=False)
        self.message_user(
            request, ngettext("%d integration disabled.", "%d integrations disabled.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Clear the last error"))
    def clear_error(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        queryset.update(last_error="", last_error_at=None)


@admin.register(RawEvent)
class RawEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "integration", "status", "error_short")
    list_filter = ("integration", "status")
    search_fields = ("payload", "error")
    date_hierarchy = "received_at"
    readonly_fields = ("integration", "received_at", "status", "error", "headers", "payload")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RawEvent | None = None) -> bool:
        return False

    @admin.display(description=_("error"))
    def error_short(self, obj: RawEvent) -> str:
        return obj.error[:100]
