"""Per-callback analytics state (models.CallbackFact): each callback task with its user's first outbound call
to the client since the task was created. Kept by the task and activity services; rebuilt in SQL in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models.functions import Coalesce

from salescope.activities.models import Activity
from salescope.followups.models import Task

from .models import CallbackFact

GRACE = dt.timedelta(seconds=1800)


def _first_call(user_id: int, client_id: int | None, since: dt.datetime) -> dt.datetime | None:
    if client_id is None:
        return None
    first: dt.datetime | None = (
        Activity.objects.filter(
            kind="call", direction="out", user_id=user_id, contact_id=client_id, started_at__gte=since
        )
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return first


def callback_facts_refresh(task_ids: Iterable[int]) -> None:
    """Recompute the facts of these tasks (a task that is not a callback has none)."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    rows = (
        Task.objects.filter(pk__in=ids, kind="callback")
        .annotate(client=Coalesce("contact_id", "deal__contact_id"))
        .values_list("id", "user_id", "client", "created_at", "due_at")
    )
    facts = [
        CallbackFact(
            task_id=task_id,
            user_id=user_id,
            client_id=client,
            created_at=created_at,
            due_at=due_at,
            deadline=due_at + GRACE,
            call_at=_first_call(user_id, client, created_at),
        )
        for task_id, user_id, client, created_at, due_at in rows
    ]
    CallbackFact.objects.filter(task_id__in=ids).delete()
    CallbackFact.objects.bulk_create(facts)


def callback_facts_refresh_client(user_id: int | None, client_id: int | None) -> None:
    """Recompute the callbacks of one user to one client (after a call of theirs changed)."""
    if user_id is None or client_id is None:
        return
    callback_facts_refresh(
        CallbackFact.objects.filter(user_id=user_id, client_id=client_id).values_list("task_id", flat=True)
    )


def rebuild_callback_facts() -> None:
    if connection.vendor == "postgresql":
        deadline = "t.due_at + INTERVAL '1800 seconds'"
    else:  # Django keeps SQLite datetimes as 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC)
        deadline = "strftime('%Y-%m-%d %H:%M:%S', t.due_at, '+1800 seconds') || substr(t.due_at, 20)"
    client = "COALESCE(t.contact_id, d.contact_id)"
    sql = (
        "INSERT INTO analytics_callbackfact (task_id, user_id, client_id, created_at, due_at, deadline, call_at) "
        f"SELECT t.id, t.user_id, {client}, t.created_at, t.due_at, {deadline}, "
        "(SELECT MIN(a.started_at) FROM activities_activity a WHERE a.kind = 'call' AND a.direction = 'out' "
        f"AND a.user_id = t.user_id AND a.contact_id = {client} AND a.started_at >= t.created_at) "
        "FROM followups_task t LEFT JOIN deals_deal d ON d.id = t.deal_id WHERE t.kind = 'callback'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
