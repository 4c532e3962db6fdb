"""Writes of in-app notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from salescope.accounts.models import User
from salescope.followups.models import Task

from .models import Notification


def notification_create(
    *,
    user: User,
    title: str,
    body: str = "",
    url: str = "",
    task: Task | None = None,
    at: dt.datetime | None = None,
) -> Notification:
    return Notification.objects.create(
        user=user, title=title, body=body, url=url, task=task, created_at=at or timezone.now()
    )


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None, at: dt.datetime | None = None) -> int:
    """Mark the user's unread notifications read (only `ids` when given); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=at or timezone.now())
