from __future__ import annotations

from django.contrib import admin

from salescope.core.admin import ScopedAdmin

from .models import Invoice, Payment, Plan


@admin.register(Invoice)
class InvoiceAdmin(ScopedAdmin):
    ref_prefix = "inv"
    list_display = ["ref", "deal", "amount", "issued_at"]
    list_select_related = ["deal"]
    search_fields = ["ref", "deal__ref", "deal__title", "deal__contact__name"]
    date_hierarchy = "issued_at"
    autocomplete_fields = ["deal"]


@admin.register(Payment)
class PaymentAdmin(ScopedAdmin):
    ref_prefix = "pay"
    list_display = ["ref", "invoice", "amount", "paid_at"]
    list_select_related = ["invoice"]
    search_fields = ["ref", "invoice__ref", "invoice__deal__contact__name"]
    date_hierarchy = "paid_at"
    raw_id_fields = ["invoice"]


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ["month", "metric", "target", "user", "team"]
    list_filter = ["metric", ("team", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "team"]
    search_fields = ["user__name", "team__name"]
    date_hierarchy = "month"
    autocomplete_fields = ["user", "team"]
