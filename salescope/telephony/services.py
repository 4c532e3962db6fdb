"""The one way a call gets into the card index: `call_ingest(CallEvent)`.

Every adapter (webhooks, the Asterisk listener) ends here. Events of one call are merged into a
`Call` row under a row lock, so retries, duplicates and out-of-order events converge on one call
Activity (origin "telephony", external_id = the provider's call id).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from salescope.accounts.models import User
from salescope.activities.models import Activity, ActivityKind, Origin
from salescope.activities.services import activity_record
from salescope.analytics import state as analytics_state
from salescope.contacts.models import Contact, ContactPhone
from salescope.deals.models import Deal, StageKind
from salescope.deals.models import Stage as DealStage
from salescope.integrations.leads import lead_intake

from .callbacks import callback_close_for, callback_decide
from .events import CallEvent, Stage
from .lookups import user_by_ext
from .models import Call, RecordingStatus
from .routing import Routing

_TIMES = ("started_at", "answered_at", "ended_at")
_FILL_ONCE = ("direction", "recording_ref", *_TIMES)
_ADVANCING = ("client_number", "our_number", "extension", "outcome", "wait_s", "talk_s")


@transaction.atomic(savepoint=False)  # one transaction with the caller's: a failure fails the whole webhook
def call_ingest(event: CallEvent, *, routing: Routing | None = None, received_at: dt.datetime | None = None) -> Call:
    """Merge one provider event into its call and bring the call Activity, the client and callbacks up to date."""
    routing = routing or Routing()
    now = received_at or timezone.now()
    call = _locked_call(event.provider, event.call_id, now)
    changed = _merge(call, event)
    if not changed:
        return call  # a duplicate or a retry: nothing new
    if call.direction:
        before = (call.activity.status, call.activity.contact_id) if call.activity else None
        activity = _sync_activity(call, routing, extension_changed="extension" in changed)
        if before is None:
            changed.append("activity")  # created (or taken over) just now
        if call.direction == "in" and not call.callback_decided and call_is_finally_missed(call):
            callback_decide(call, activity, routing)
            changed += ["callback_decided", "callback_task"]
        reaches = activity.contact_id is not None and (activity.direction == "out" or activity.status == "answered")
        if reaches and before != (activity.status, activity.contact_id):
            callback_close_for(activity)  # the first time this call counts as reaching its client
    if call.recording_ref and not call.recording_status:
        _queue_recording(call)
        changed.append("recording_status")
    _call_save(call, changed)  # one write of everything this event changed
    return call


def _call_save(call: Call, names: list[str]) -> None:
    """`call.save(update_fields=names)` as one plain UPDATE: it runs for nearly every event, at a fraction of the
    ORM's CPU cost."""
    fields = [f for f in _columns(Call) if f.name in names]
    assignments = ", ".join(f'"{f.column}" = %s' for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Call._meta.db_table}" SET {assignments} WHERE id = %s',
            [*(f.get_db_prep_save(getattr(call, f.attname), connection) for f in fields), call.pk],
        )


def _locked_call(provider: str, call_id: str, now: dt.datetime) -> Call:
    """The call row, created when this is its first event, locked until the end of the transaction."""
    if connection.vendor == "postgresql":
        return _upsert_locked_call(provider, call_id, now)
    Call.objects.bulk_create([Call(provider=provider, call_id=call_id, received_at=now)], ignore_conflicts=True)
    return (
        Call.objects.select_for_update(of=("self",)).select_related("activity").get(provider=provider, call_id=call_id)
    )


@cache
def _columns(model: type[Model]) -> list[Field[Any, Any]]:
    return list(model._meta.concrete_fields)


@cache
def _upsert_sql() -> str:
    """One statement: insert the call or lock the existing row (ON CONFLICT DO UPDATE locks it), and read it
    together with its activity."""
    call_fields = _columns(Call)[1:]  # all but the id
    names = ", ".join(f'"{f.column}"' for f in call_fields)
    values = ", ".join(["%s"] * len(call_fields))
    call_cols = ", ".join(f'c."{f.column}"' for f in _columns(Call))
    activity_cols = ", ".join(f'a."{f.column}"' for f in _columns(Activity))
    return (
        f'WITH c AS (INSERT INTO "{Call._meta.db_table}" ({names}) VALUES ({values}) '
        'ON CONFLICT ("provider", "call_id") DO UPDATE SET "provider" = EXCLUDED."provider" RETURNING *) '
        f'SELECT {call_cols}, {activity_cols} FROM c LEFT JOIN "{Activity._meta.db_table}" a ON a.id = c.activity_id'
    )


@cache
def _new_call_values() -> dict[str, Any]:
    """The database values of a new call row but its provider, id and time (the same for every call)."""
    fresh = Call(provider="", call_id="", received_at=timezone.now())
    return {f.attname: f.get_db_prep_save(getattr(fresh, f.attname), connection) for f in _columns(Call)[1:]}


def _upsert_locked_call(provider: str, call_id: str, now: dt.datetime) -> Call:
    values = {**_new_call_values(), "provider": provider, "call_id": call_id, "received_at": now}
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), list(values.values()))
        row = cursor.fetchone()
    width = len(_columns(Call))
    call = Call.from_db(connection.alias, [f.attname for f in _columns(Call)], row[:width])
    if call.activity_id is not None:
        if row[width] is None:  # the activity committed while we waited for the lock: our snapshot predates it
            call.activity = Activity.objects.get(pk=call.activity_id)
        else:
            call.activity = Activity.from_db(connection.alias, [f.attname for f in _columns(Activity)], row[width:])
    return call


def _merge(call: Call, event: CallEvent) -> list[str]:
    """Late or out-of-order events only fill gaps; a later stage advances the state; a summary overwrites."""
    final = event.stage == Stage.SUMMARY
    advances = event.stage >= call.stage
    changed: list[str] = []
    for name in (*_FILL_ONCE, *_ADVANCING):
        new = getattr(event, name)
        if new is None or new == "":
            continue
        old = getattr(call, name)
        empty = old is None or old == ""
        take = empty or final if name in _FILL_ONCE else empty or advances
        if take and new != old:
            setattr(call, name, new)
            changed.append(name)
    if event.stage > call.stage:
        call.stage = event.stage
        changed.append("stage")
    return changed


def _seconds(later: dt.datetime | None, earlier: dt.datetime | None) -> int | None:
    if later is None or earlier is None:
        return None
    return max(0, int((later - earlier).total_seconds()))


def call_outcome(call: Call) -> str:
    """The outcome so far: the provider's word, else answered when someone picked up, missed once it ended."""
    if call.outcome:
        return call.outcome
    if call.answered_at is not None:
        return "answered"
    return "missed" if call.ended_at is not None else ""


def call_is_finally_missed(call: Call) -> bool:
    return call_outcome(call) in ("missed", "busy", "failed") and (call.ended_at is not None or bool(call.outcome))


def call_figures(call: Call) -> dict[str, Any]:
    """Activity status, talk time and wait time. A call still ringing reads as missed until it is answered."""
    outcome = call_outcome(call)
    answered = outcome == "answered"
    duration: int | None = None
    if answered:
        duration = call.talk_s if call.talk_s is not None else (_seconds(call.ended_at, call.answered_at) or 0)
    wait: int | None = None
    if call.direction == "in":
        if call.wait_s is not None:
            wait = call.wait_s
        elif answered and call.answered_at is not None:
            wait = _seconds(call.answered_at, call.started_at)
        elif answered and call.talk_s is not None:
            total = _seconds(call.ended_at, call.started_at)
            wait = None if total is None else max(0, total - call.talk_s)
        elif not answered:
            wait = _seconds(call.ended_at, call.started_at)
    return {"status": "answered" if answered else "missed", "duration_s": duration, "wait_s": wait}


def _sync_activity(call: Call, routing: Routing, *, extension_changed: bool) -> Activity:
    activity = call.activity
    started = call.started_at or call.answered_at or call.ended_at or call.received_at
    wanted: dict[str, Any] = {"started_at": started, "direction": call.direction, **call_figures(call)}
    if activity is None or extension_changed:
        wanted["user"] = user_by_ext(call.extension) if call.extension else None
    if activity is None or activity.contact_id is None:
        user = wanted["user"] if "user" in wanted else activity.user if activity else None
        contact, deal = _client_of(call, routing, user, started)
        if contact is not None:
            wanted.update(contact=contact, deal=deal)
    if activity is None:
        activity = _adopt_or_record(call, wanted)
        call.activity = activity
        return activity
    updates = {k: v for k, v in wanted.items() if getattr(activity, k) != v}
    if updates:
        before = analytics_state.snapshot(activity)
        for key, value in updates.items():
            setattr(activity, key, value)
        activity.save(update_fields=list(updates))
        analytics_state.activity_changed(before, activity)
    return activity


def _adopt_or_record(call: Call, wanted: dict[str, Any]) -> Activity:
    """A call already in the card index under this id (e.g. imported) is taken over, never duplicated.
    The unique (origin, external_id) constraint tells us so: no lookup before the (usual) first insert."""
    try:
        return activity_record(
            kind=ActivityKind.CALL, channel="phone", origin=Origin.TELEPHONY, external_id=call.call_id, **wanted
        )
    except IntegrityError:  # activity_record's savepoint is rolled back; the transaction goes on
        existing = Activity.objects.filter(
            origin=Origin.TELEPHONY, external_id=call.call_id, telephony_call=None
        ).first()
        if existing is None:
            raise
    before = analytics_state.snapshot(existing)
    for key, value in wanted.items():
        setattr(existing, key, value)
    existing.save(update_fields=list(wanted))
    analytics_state.activity_changed(before, existing)
    return existing


def _client_of(
    call: Call, routing: Routing, manager: User | None, started: dt.datetime
) -> tuple[Contact | None, Deal | None]:
    """The client by E.164 number; an unknown inbound caller becomes a contact with a lead deal
    once we know who took the call (answered) or that nobody did (ended)."""
    if not call.client_number:
        return None, None
    known = _known_client(call.client_number)
    if known is not None:
        return known
    if call.direction != "in" or not routing.create_leads or not (call.answered_at or call.outcome or call.ended_at):
        return None, None
    if _lock_number(call.client_number):  # another call from this number may have made the client meanwhile
        known = _known_client(call.client_number)
        if known is not None:
            return known
    owner = manager if routing.lead_owner == "extension" else None
    intake = lead_intake(
        name=call.client_number,
        phones=[call.client_number],
        owner=owner,
        team=routing.team(),
        at=started,
        source="phone",
        pipeline=routing.pipeline(),
        pipeline_ref=routing.lead_pipeline,
        title=_("Call from %(number)s") % {"number": call.client_number},
        search=False,
    )
    return intake.contact, intake.deal


def _known_client(number: str) -> tuple[Contact, Deal | None] | None:
    """The contact with this E.164 number and its open deal (the latest deal at an open stage, as
    `open_deal_of` picks it), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_known_client_sql(), [StageKind.OPEN, number])
        row = cursor.fetchone()
    if row is None:
        return None
    contact = Contact.from_db(connection.alias, [f.attname for f in _columns(Contact)], row[1:])
    return contact, Deal.objects.get(pk=row[0]) if row[0] is not None else None


@cache
def _known_client_sql() -> str:
    deal, stage, phone = Deal._meta.db_table, DealStage._meta.db_table, ContactPhone._meta.db_table
    columns = ", ".join(f'c."{f.column}"' for f in _columns(Contact))
    return (
        f"SELECT (SELECT d.id FROM {deal} d JOIN {stage} s ON s.id = d.stage_id WHERE d.contact_id = c.id "
        f"AND s.kind = %s ORDER BY d.created_at DESC, d.id DESC LIMIT 1), {columns} "
        f"FROM {phone} p JOIN {Contact._meta.db_table} c ON c.id = p.contact_id WHERE p.number = %s "
        "ORDER BY p.contact_id LIMIT 1"
    )


def _lock_number(number: str) -> bool:
    """Two first calls from one new number at once must not make two contacts. True when a lock was taken
    (PostgreSQL); SQLite writes are serial anyway."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"telephony-client:{number}"])
    return True


def _queue_recording(call: Call) -> None:
    from .tasks import recording_fetch

    call.recording_status = RecordingStatus.PENDING
    call_pk = call.pk
    transaction.on_commit(lambda: recording_fetch(call_pk))
