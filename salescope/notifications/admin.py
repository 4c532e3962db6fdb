from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Notification


def _is_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", "") == "admin"))


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only history for admins: who was reminded of what and when (a notification is its user's own)."""

    list_display = ["created_at", "user", "title", "read_at"]
    list_filter = ["read_at"]
    raw_id_fields = ["user", "task"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)
