"""The shared edge of every channel: configuration, raw payload log, health status."""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import F, Field, Min
from django.utils import timezone

from .models import Integration, RawEvent


def integration_config(key: str) -> dict[str, Any] | None:
    """The settings of an enabled integration, or None when it is off or not configured."""
    found = Integration.objects.filter(key=key, enabled=True).values_list("config", flat=True).first()
    return dict(found) if found is not None else None


def integration_configure(key: str, /, *, enabled: bool = True, **config: Any) -> Integration:
    integration, _ = Integration.objects.update_or_create(key=key, defaults={"enabled": enabled, "config": config})
    return integration


def raw_event_store(
    *,
    integration: str,
    payload: str | bytes,
    headers: dict[str, str] | None = None,
    status: str,
    error: str = "",
    events: list[dict[str, Any]] | None = None,
    received_at: Any = None,
) -> RawEvent:
    text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else payload
    event = RawEvent(
        integration=integration,
        received_at=received_at or timezone.now(),
        payload=text,
        headers=headers or {},
        status=status,
        error=error,
        events=events or [],
    )
    fields = _raw_event_fields()
    columns, values = ", ".join(f'"{f.column}"' for f in fields), ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:  # a plain INSERT: the ORM's costs several times as much CPU (every webhook)
        cursor.execute(
            f'INSERT INTO "{RawEvent._meta.db_table}" ({columns}) VALUES ({values}) RETURNING id',
            [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields],
        )
        event.pk = cursor.fetchone()[0]
    return event


QUEUE_STALE = dt.timedelta(minutes=1)


def queue_waiting_since(stale: dt.timedelta = QUEUE_STALE) -> dt.datetime | None:
    """When the oldest raw event still queued arrived, if that was longer ago than `stale` (a stopped worker)."""
    oldest = RawEvent.objects.filter(status=RawEvent.Status.QUEUED).aggregate(oldest=Min("received_at"))["oldest"]
    return oldest if oldest is not None and oldest < timezone.now() - stale else None


@cache
def _raw_event_fields() -> list[Field[Any, Any]]:
    return [f for f in RawEvent._meta.concrete_fields if f.name != "id"]


_untold: dict[str, int] = {}  # events this process counted but could not write yet (the row was busy)
_untold_lock = threading.Lock()  # a threaded worker serves several webhooks at once


def integration_touch(key: str, *, error: str = "", count: int = 1) -> None:
    """Record that an event arrived (and the error it caused, if any) for the status page.

    Call it inside the transaction that handled the event (or `count` events). The integration row is a hot spot
    when many workers take events at once: on PostgreSQL a worker that finds it locked by another does not wait
    but keeps its count and adds it with its next touch (or at exit), so `events_received` is exact once the
    workers are idle and never blocks ingestion. An error is always written at once (waiting for the row if need be)."""
    now = timezone.now()
    with _untold_lock:
        count += _untold.pop(key, 0)
    if not error and connection.vendor == "postgresql":
        if _touch_unless_busy(key, now, count):
            return
        if Integration.objects.filter(key=key).exists():  # busy: another worker is writing it right now
            with _untold_lock:
                _untold[key] = _untold.get(key, 0) + count
            return
    updates: dict[str, Any] = {"last_event_at": now, "events_received": F("events_received") + count}
    if error:
        updates.update(last_error=error, last_error_at=now)
    rows = Integration.objects.filter(key=key)
    if not rows.update(**updates):
        Integration.objects.get_or_create(key=key)
        rows.update(**updates)


def _touch_unless_busy(key: str, now: Any, count: int) -> bool:
    table = Integration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_event_at = %s, events_received = events_received + %s "
            f"WHERE id = (SELECT id FROM {table} WHERE key = %s FOR UPDATE SKIP LOCKED)",
            [now, count, key],
        )
        return bool(cursor.rowcount)


def integration_touch_flush() -> None:
    """Write the counts this process still holds (at exit)."""
    with _untold_lock:
        counts = dict(_untold)
        _untold.clear()
    for key, count in counts.items():
        Integration.objects.filter(key=key).update(events_received=F("events_received") + count)


def _flush_quietly() -> None:
    if not _untold:
        return
    try:
        integration_touch_flush()
    except Exception:  # noqa: BLE001 (at exit there is nobody left to tell)
        logging.getLogger(__name__).exception("could not write the last integration event counts")


atexit.register(_flush_quietly)  # a gunicorn worker stopped gracefully exits through here
