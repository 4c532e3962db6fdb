from __future__ import annotations

import datetime as dt
import threading
from contextlib import nullcontext
from functools import cache
from typing import Any

from django.core.files import File
from django.db import connection, transaction
from django.db.models import Field

from salescope.accounts.models import User
from salescope.analytics import state as analytics_state
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.core.refs import new_ref
from salescope.deals.models import Deal

from .models import Activity, ActivityKind


def activity_field_errors(
    *, kind: str, direction: str, status: str, duration_s: int | None, wait_s: int | None
) -> list[tuple[str, str]]:
    """The bundle's rules for which fields apply to which activity, as (field, message) pairs."""
    errors: list[tuple[str, str]] = []
    if kind not in ActivityKind.values:
        return [("kind", f"unknown kind {kind!r}")]
    if direction not in ("", "in", "out"):
        errors.append(("direction", f"must be 'in' or 'out', not {direction!r}"))
    if kind in ("call", "email", "message") and not direction:
        errors.append(("direction", f"required for a {kind}"))
    if kind == "call":
        if status not in ("answered", "missed"):
            errors.append(("status", "required for a call: 'answered' or 'missed'"))
        if status == "answered" and duration_s is None:
            errors.append(("duration_s", "required for an answered call"))
    elif status:
        errors.append(("status", f"does not apply to a {kind}"))
    if wait_s is not None and not (kind == "call" and direction == "in"):
        errors.append(("wait_s", "applies to inbound calls only"))
    for name, value in (("duration_s", duration_s), ("wait_s", wait_s)):
        if value is not None and value < 0:
            errors.append((name, "must be ≥ 0"))
    return errors


def activity_record(
    *,
    kind: str,
    started_at: dt.datetime,
    user: User | None = None,
    contact: Contact | None = None,
    deal: Deal | None = None,
    direction: str = "",
    status: str = "",
    duration_s: int | None = None,
    wait_s: int | None = None,
    channel: str = "",
    origin: str = "manual",
    external_id: str = "",
    recording_url: str = "",
    transcript: str = "",
    subject: str = "",
    body: str = "",
    ref: str | None = None,
    attachment: File | None = None,  # type: ignore[type-arg]
) -> Activity:
    errors = activity_field_errors(kind=kind, direction=direction, status=status, duration_s=duration_s, wait_s=wait_s)
    if errors:
        raise ServiceError(*errors[0])
    if deal is not None and contact is None:
        contact = deal.contact
    activity = Activity(
        ref=ref or new_ref("act"),
        kind=kind,
        started_at=started_at,
        user=user,
        contact=contact,
        deal=deal,
        direction=direction,
        status=status,
        duration_s=duration_s,
        wait_s=wait_s,
        channel=channel,
        origin=origin,
        external_id=external_id,
        recording_url=recording_url,
        transcript=transcript,
        subject=subject,
        body=body,
    )
    if attachment is not None:
        # The storage keeps only a cleaned base name of the upload and makes it unique.
        activity.attachment.save(attachment.name or "attachment", attachment, save=False)
    if connection.vendor == "postgresql":
        # The insert and its analytics state go as prepared statements in one round trip, as one transaction
        # (state_activity.execute); within the caller's transaction, under a savepoint as atomic() gives.
        activity.pk = next_activity_id()
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            analytics_state.activity_recorded_with(_insert_statement(activity), activity)
        activity._state.adding, activity._state.db = False, connection.alias
        return activity
    with transaction.atomic():
        activity.save(force_insert=True)
        analytics_state.activity_recorded(activity)
    return activity


def _insert_statement(activity: Activity) -> tuple[str, list[Any]]:
    fields = _fields()
    columns = ", ".join(f'"{f.column}"' for f in fields)
    values = [f.get_db_prep_save(f.pre_save(activity, add=True), connection) for f in fields]
    return f'INSERT INTO "{Activity._meta.db_table}" ({columns}) VALUES ({", ".join(["%s"] * len(fields))})', values


@cache
def _fields() -> list[Field[Any, Any]]:
    return list(Activity._meta.concrete_fields)  # the id too: it is taken from the sequence beforehand


_ID_BLOCK = 100
_ids: dict[str, list[int]] = {}  # per database: ids taken from the sequence, not used yet
_ids_lock = threading.Lock()  # threaded web workers share them


def next_activity_id() -> int:
    """A new activity id from the table's identity sequence, taken in blocks of 100 (one query per block)."""
    where = connection.settings_dict
    database = f"{where.get('HOST')}:{where.get('PORT')}/{where['NAME']}"
    with _ids_lock:
        free = _ids.setdefault(database, [])
        if not free:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Activity._meta.db_table, _ID_BLOCK],
                )
                free.extend(sorted((row[0] for row in cursor.fetchall()), reverse=True))
        return free.pop()
