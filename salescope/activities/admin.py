from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from salescope.core.admin import ScopedAdmin

from .models import Activity
from .services import activity_field_errors


class ActivityAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The bundle's field rules (which fields apply to which kind), shown next to the field at fault."""

    class Meta:
        model = Activity
        fields = [
            *("kind", "started_at", "user", "contact", "deal", "ref", "direction", "status", "duration_s", "wait_s"),
            *("channel", "origin", "external_id", "subject", "body", "recording_url", "transcript"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = activity_field_errors(
            kind=data.get("kind") or "",
            direction=data.get("direction") or "",
            status=data.get("status") or "",
            duration_s=data.get("duration_s"),
            wait_s=data.get("wait_s"),
        )
        for field, message in errors:
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    form = ActivityAdminForm
    ref_prefix = "act"
    list_display = ["__str__", "kind", "started_at", "user", "contact", "direction", "status", "duration_s", "origin"]
    list_filter = ["kind", "direction", "status", "origin", ("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "contact"]
    search_fields = ["ref", "external_id", "subject", "contact__name", "contact__company"]
    date_hierarchy = "started_at"
    autocomplete_fields = ["user", "contact", "deal"]
    fieldsets = (
        (None, {"fields": ("kind", "started_at", "user", "contact", "deal", "ref")}),
        (None, {"fields": ("direction", "status", "duration_s", "wait_s", "channel", "origin", "external_id")}),
        (None, {"fields": ("subject", "body", "recording_url", "transcript")}),
    )
