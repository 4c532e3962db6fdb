"""The shared base of every admin page: who may open it and which rows they see.

Admins (and superusers) see and edit everything. A head of sales sees their
team's records (through `scoped()`, the same rule as the web pages) and may edit
them, but deletes nothing and only reads shared reference data. Managers are not
staff, so the admin site lets them in nowhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from salescope.analytics import state_edits
from salescope.core.refs import new_ref
from salescope.core.scope import SCOPE_PATHS, TEAM_SCOPE_PATHS, Scope, scope_for, scoped

admin.site.site_header = _("Salescope back office")
admin.site.site_title = _("Salescope back office")
admin.site.index_title = _("Records")


def request_scope(request: HttpRequest) -> Scope:
    return scope_for(request.user)  # type: ignore[arg-type]


def _is_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", "") == "admin"))


def _is_head(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", "") == "head")


def _has_scope_rule(model: type[Model]) -> bool:
    label = model._meta.label_lower
    return label in SCOPE_PATHS or label in TEAM_SCOPE_PATHS


class RolePermissions:
    """Role-based permissions, shared by model admins and inlines.

    `head_can_edit = False` makes a page read-only for heads (reference data, history).
    """

    head_can_edit = True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request) or _is_head(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request) or _is_head(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request) or (self.head_can_edit and _is_head(request))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_admin(request) or (self.head_can_edit and _is_head(request))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)


class ScopedFormFields:
    """Foreign-key choices limited to the records the editor may see (a head cannot pick another team's)."""

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if "queryset" not in kwargs and _has_scope_rule(related):
            kwargs["queryset"] = scoped(related._default_manager.all(), request_scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedAdmin(RolePermissions, ScopedFormFields, admin.ModelAdmin):  # type: ignore[type-arg]
    """Every list, search, autocomplete and change page shows only what `scoped()` allows.

    `scope_rule = False` marks shared reference data (pipelines, products, ad spend).
    `ref_prefix` fills an empty external id with a fresh one, so nobody has to invent it.
    """

    scope_rule = True
    ref_prefix = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return scoped(queryset, request_scope(request)) if self.scope_rule else queryset

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if self.ref_prefix and "ref" in form.base_fields:
            form.base_fields["ref"].required = False
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if self.ref_prefix and not getattr(obj, "ref", None):
            obj.ref = new_ref(self.ref_prefix)
        with transaction.atomic():
            before = state_edits.before_edit(obj)
            super().save_model(request, obj, form, change)
            state_edits.after_save(obj, before)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before = state_edits.before_edit(obj)
            super().delete_model(request, obj)
            state_edits.after_delete(obj, before)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:  # one by one, so that the analytics state follows each
            self.delete_model(request, obj)


class ScopedTabularInline(RolePermissions, ScopedFormFields, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0


class ReadOnlyTabularInline(ScopedTabularInline):
    """History shown on its parent's page: never added, changed or deleted here."""

    head_can_edit = False
    can_delete = False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
