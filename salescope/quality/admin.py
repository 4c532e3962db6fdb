from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from salescope.core.admin import ScopedAdmin

from .models import QAReview
from .services import qa_score_errors


class QAReviewForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = QAReview
        fields = ["activity", "reviewer", "at", "scores", "max"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "scores" in data and "max" in data:
            for field, message in qa_score_errors(data["scores"], data["max"]):
                self.add_error(field, message)
        activity = data.get("activity")
        if activity is not None and activity.kind != "call":
            self.add_error("activity", _("Only calls are reviewed."))
        return data


@admin.register(QAReview)
class QAReviewAdmin(ScopedAdmin):
    form = QAReviewForm
    list_display = ["activity", "reviewer", "at", "max"]
    list_select_related = ["activity", "reviewer"]
    list_filter = [("reviewer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["activity__ref", "activity__contact__name"]
    date_hierarchy = "at"
    autocomplete_fields = ["activity", "reviewer"]
