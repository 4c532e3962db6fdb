from __future__ import annotations

from django.contrib import admin

from salescope.core.admin import ScopedAdmin

from .models import Task


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    ref_prefix = "task"
    list_display = ["__str__", "kind", "user", "contact", "deal", "due_at", "completed_at"]
    list_filter = ["kind", ("completed_at", admin.EmptyFieldListFilter), ("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "contact", "deal"]
    search_fields = ["ref", "note", "contact__name"]
    date_hierarchy = "due_at"
    autocomplete_fields = ["user", "contact", "deal"]
    fields = ["kind", "user", "contact", "deal", "created_at", "due_at", "completed_at", "reminded_at", "note", "ref"]
