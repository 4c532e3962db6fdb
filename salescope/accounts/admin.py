from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from salescope.core.admin import ScopedAdmin

from .models import Role, Team, User


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    head_can_edit = False
    ref_prefix = "team"
    list_display = ["name", "ref"]
    search_fields = ["name", "ref"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):  # type: ignore[misc]
    """Users are created and changed by admins; a head reads their team's members."""

    head_can_edit = False
    list_display = ["username", "name", "role", "team", "phone_ext", "is_active", "last_login"]
    list_filter = ["role", ("team", admin.RelatedOnlyFieldListFilter), "is_active"]
    list_select_related = ["team"]
    search_fields = ["username", "name", "email", "ref", "phone_ext"]
    ordering = ["name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Salescope"), {"fields": ("name", "ref", "role", "team", "phone_ext", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "role", "team", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The admin site is for heads and admins: staff status follows the role, as in user_create."""
        if not obj.ref:
            obj.ref = obj.username
        if "role" in form.changed_data or not change:
            obj.is_staff = obj.role in (Role.HEAD, Role.ADMIN)
            obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)
