from __future__ import annotations

from django.contrib import admin

from salescope.core.admin import ScopedAdmin

from .models import AdSpend


@admin.register(AdSpend)
class AdSpendAdmin(ScopedAdmin):
    """Department-level marketing data: every head reads it, admins enter it."""

    scope_rule = False
    head_can_edit = False
    list_display = ["date", "source", "campaign", "amount"]
    list_filter = ["source"]
    search_fields = ["source", "campaign"]
    date_hierarchy = "date"
