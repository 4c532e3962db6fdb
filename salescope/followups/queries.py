"""Reads of tasks for the manager's day, always through the reader's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from salescope.core.scope import Scope, scoped

from .models import Task, TaskKind

DAY_LIST_LIMIT = 50


def _open_tasks_of(scope: Scope, user_id: int) -> QuerySet[Task]:
    tasks = scoped(Task.objects.filter(user_id=user_id, completed_at__isnull=True), scope)
    return tasks.select_related("contact", "deal__contact").order_by("due_at", "id")


def callbacks_due(*, scope: Scope, user_id: int, until: dt.datetime) -> list[Task]:
    """The user's open callbacks due before `until` (the end of today): today's and the overdue ones."""
    tasks = _open_tasks_of(scope, user_id).filter(kind=TaskKind.CALLBACK, due_at__lt=until)
    return list(tasks[:DAY_LIST_LIMIT])


def other_open_tasks(*, scope: Scope, user_id: int) -> list[Task]:
    """The user's open tasks that are not callbacks, soonest first."""
    return list(_open_tasks_of(scope, user_id).exclude(kind=TaskKind.CALLBACK)[:DAY_LIST_LIMIT])


def task_for_update(*, scope: Scope, task_id: int) -> Task:
    """A task the scope may act on; Task.DoesNotExist outside it."""
    return scoped(Task.objects.all(), scope).get(pk=task_id)
