from __future__ import annotations

import datetime as dt

from django.utils import timezone

from salescope.accounts.models import User
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.core.refs import new_ref
from salescope.deals.models import Deal

from .models import Task, TaskKind


def task_create(
    *,
    kind: str,
    user: User,
    due_at: dt.datetime,
    created_at: dt.datetime | None = None,
    contact: Contact | None = None,
    deal: Deal | None = None,
    note: str = "",
    ref: str | None = None,
) -> Task:
    if kind not in TaskKind.values:
        raise ServiceError("kind", f"unknown task kind {kind!r}")
    created = created_at or timezone.now()
    return Task.objects.create(
        ref=ref or new_ref("task"),
        kind=kind,
        user=user,
        created_at=created,
        due_at=due_at,
        contact=contact,
        deal=deal,
        note=note,
    )


def callback_schedule(
    *, user: User, contact: Contact, due_at: dt.datetime, note: str = "", deal: Deal | None = None
) -> Task:
    """ "The client needs to think": a callback the manager is reminded of at `due_at`."""
    return task_create(kind=TaskKind.CALLBACK, user=user, due_at=due_at, contact=contact, deal=deal, note=note)


def task_complete(*, task: Task, at: dt.datetime | None = None) -> Task:
    task.completed_at = at or timezone.now()
    task.save(update_fields=["completed_at"])
    return task
