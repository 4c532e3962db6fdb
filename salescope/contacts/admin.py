from __future__ import annotations

from django import forms
from django.contrib import admin

from salescope.core.admin import ScopedAdmin, ScopedTabularInline
from salescope.core.phones import InvalidPhone, normalize_phone

from .models import Contact, ContactEmail, ContactPhone


class ContactPhoneForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ContactPhone
        fields = ["number", "position"]

    def clean_number(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["number"])
        except InvalidPhone as exc:
            raise forms.ValidationError(str(exc)) from exc


class ContactPhoneInline(ScopedTabularInline):
    model = ContactPhone
    form = ContactPhoneForm


class ContactEmailInline(ScopedTabularInline):
    model = ContactEmail
    fields = ["address", "position"]


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    ref_prefix = "contact"
    list_display = ["name", "company", "owner", "source", "campaign", "created_at"]
    list_filter = ["source", ("owner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["owner"]
    search_fields = ["name", "company", "ref", "phones__number", "emails__address"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["owner"]
    inlines = [ContactPhoneInline, ContactEmailInline]
    fieldsets = (
        (None, {"fields": ("name", "company", "owner", "created_at", "ref")}),
        ("UTM", {"fields": ("source", "campaign", "utm", "ga_client_id", "ym_client_id")}),
    )
