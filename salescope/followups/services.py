from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from salescope.accounts.models import User
from salescope.analytics import state as analytics_state
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.core.refs import new_ref
from salescope.deals.models import Deal

from .models import Task, TaskKind

log = logging.getLogger(__name__)


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
    with transaction.atomic():
        task = Task.objects.create(
            ref=ref or new_ref("task"),
            kind=kind,
            user=user,
            created_at=created,
            due_at=due_at,
            contact=contact,
            deal=deal,
            note=note,
        )
        analytics_state.task_created(task.pk)
    return task


def callback_schedule(
    *, user: User, contact: Contact, due_at: dt.datetime, note: str = "", deal: Deal | None = None
) -> Task:
    """ "The client needs to think": a callback the manager is reminded of at `due_at`."""
    return task_create(kind=TaskKind.CALLBACK, user=user, due_at=due_at, contact=contact, deal=deal, note=note)


def task_complete(*, task: Task, at: dt.datetime | None = None) -> Task:
    task.completed_at = at or timezone.now()
    task.save(update_fields=["completed_at"])
    return task


# A callback that fell due longer ago than this (history loaded by an import, a worker that was
# down for days) is shown as overdue on "My day" but no longer announced as a fresh reminder.
REMINDER_LOOKBACK = dt.timedelta(hours=24)


def callback_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind managers of their open callbacks that are due and not yet reminded: in the app and by e-mail.

    Each callback is reminded once (Task.reminded_at); returns how many were reminded.
    """
    at = now or timezone.now()
    due = Task.objects.filter(
        kind=TaskKind.CALLBACK,
        completed_at__isnull=True,
        reminded_at__isnull=True,
        due_at__lte=at,
        due_at__gt=at - REMINDER_LOOKBACK,
    ).values_list("pk", flat=True)
    reminded = 0
    for task_id in list(due):
        reminded += _callback_remind(task_id, at)
    return reminded


def _callback_remind(task_id: int, at: dt.datetime) -> int:
    from salescope.notifications.services import notification_create

    with transaction.atomic():
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("user", "contact", "deal__contact")
            .filter(pk=task_id, reminded_at__isnull=True)
            .first()
        )
        if task is None:  # another worker got there first
            return 0
        task.reminded_at = at
        task.save(update_fields=["reminded_at"])
        client = task.contact or (task.deal.contact if task.deal else None)
        url = reverse("contact_detail", args=[client.pk]) if client else ""
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Call back: %(client)s") % {"client": client.name if client else _("the client")}
            due = date_format(timezone.localtime(task.due_at), "DATETIME_FORMAT")
            body = _("Callback due %(due)s.") % {"due": due}
        if task.note:
            body += "\n" + task.note
        notification_create(user=task.user, title=title, body=body, url=url, task=task, at=at)
    # Mailed once the reminder is committed, so a mail is never sent for a reminder that was rolled back.
    if task.user.email:
        base = getattr(settings, "SALESCOPE_BASE_URL", "")
        link = base + url if base and url else ""
        _send_reminder_mail(task.user.email, title, "\n\n".join(filter(None, [body, link])))
    return 1


def _send_reminder_mail(address: str, subject: str, text: str) -> None:
    try:
        send_mail(subject, text, None, [address])
    except Exception as exc:  # the in-app reminder is already there; a mail outage must not stop the others
        log.warning("callback reminder to %s not sent: %s", address, exc)
