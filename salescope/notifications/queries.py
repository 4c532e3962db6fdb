"""Reads of a user's own notifications (nobody sees another user's)."""

from __future__ import annotations

from django.db.models import QuerySet

from salescope.accounts.models import User

from .models import Notification


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
