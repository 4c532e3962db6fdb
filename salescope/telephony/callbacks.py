"""Missed inbound call → a callback task for the line's manager; it closes itself when the client is called."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salescope.accounts.models import User
from salescope.activities.models import Activity, ActivityKind
from salescope.followups.models import Task, TaskKind
from salescope.followups.services import task_complete, task_create

from .lookups import user_by_ext
from .models import Call
from .routing import Routing


def _reaching_calls(activity: Activity):  # type: ignore[no-untyped-def]
    """Calls that answer a missed call: any outbound call, or an answered inbound one, to the same client."""
    return Activity.objects.filter(kind=ActivityKind.CALL, contact=activity.contact).filter(
        Q(direction="out") | Q(status="answered")
    )


def callback_owner(call: Call, activity: Activity, routing: Routing) -> User | None:
    """The manager of the line that was called, else the manager whose extension rang, else the client's owner."""
    manager = routing.line_manager(call.our_number)
    if manager is None and call.extension:
        manager = user_by_ext(call.extension)
    if manager is None and activity.contact is not None:
        manager = activity.contact.owner
    return manager


def callback_decide(call: Call, activity: Activity, routing: Routing) -> Task | None:
    """Once per missed inbound call: a callback due at once, unless someone already reached the client after it.
    Sets the call's callback fields; the caller saves the call."""
    call.callback_decided = True
    task: Task | None = None
    if activity.contact_id is not None:
        reached = _reaching_calls(activity).filter(started_at__gt=activity.started_at).exclude(pk=activity.pk).exists()
        owner = None if reached else callback_owner(call, activity, routing)
        if owner is not None:
            when = call.ended_at or timezone.now()
            task = task_create(
                kind=TaskKind.CALLBACK,
                user=owner,
                created_at=when,
                due_at=when,
                contact=activity.contact,
                deal=activity.deal,
                note=_("Missed call from %(number)s") % {"number": call.client_number},
            )
            call.callback_task = task
    return task


def callback_close_for(activity: Activity) -> int:
    """Close the open missed-call callbacks this call answers (calls to the client after the missed call)."""
    closed = 0
    for task in Task.objects.filter(pk__in=_open_callbacks_answered_by(activity)).order_by("id"):
        task_complete(task=task, at=max(activity.started_at, task.created_at))
        closed += 1
    return closed


def _open_callbacks_answered_by(activity: Activity) -> list[int]:
    """One plain query (this runs for most calls and usually finds nothing)."""
    task, call, act = Task._meta.db_table, Call._meta.db_table, Activity._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id FROM {task} t JOIN {call} c ON c.callback_task_id = t.id "
            f"JOIN {act} a ON a.id = c.activity_id "
            "WHERE t.kind = %s AND t.completed_at IS NULL AND a.contact_id = %s AND (a.started_at < %s OR a.id = %s)",
            [TaskKind.CALLBACK, activity.contact_id, activity.started_at, activity.pk],
        )
        return [row[0] for row in cursor.fetchall()]
