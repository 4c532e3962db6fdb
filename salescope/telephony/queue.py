"""Call webhooks are accepted at once and ingested by one worker in batches.

A webhook that verifies and parses is stored as a queued raw event (one INSERT) with the call events read from
it, and answered 200 right away: providers time out and retry slow endpoints, and a burst of calls should not
wait on lead creation. The worker (`salescope telephony_queue`, started by `salescope run`) takes the queue in
arrival order, a batch per transaction: an event that fails is marked "error" with the reason and the rest of
the batch goes on (queued_calls_process). With Huey in immediate mode (tests, or a set-up
without a worker) the webhook processes its own queue before answering.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection, transaction
from huey.contrib.djhuey import HUEY

from salescope.core.errors import ServiceError
from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_touch, raw_event_store

from .events import CallEvent, EventError
from .lookups import config_of
from .routing import Routing
from .services import call_ingest

log = logging.getLogger(__name__)
BATCH = 200
IDLE_SLEEP = 0.1  # seconds between looks at an empty queue
WORKER_LOCK = 0x5A1E5C0  # PostgreSQL advisory lock: one queue worker at a time


def call_events_queue(
    *, integration: str, payload: str, headers: dict[str, str], events: list[CallEvent], received_at: dt.datetime
) -> RawEvent:
    """Keep a verified, parsed webhook for the worker (and process it now when tasks run inline)."""
    raw = raw_event_store(
        integration=integration,
        payload=payload,
        headers=headers,
        status=RawEvent.Status.QUEUED,
        events=[event.as_record() for event in events],
        received_at=received_at,
    )
    if HUEY.immediate:
        queued_calls_process()
    return raw


def queued_calls_process(limit: int = BATCH) -> int:
    """Ingest up to `limit` queued raw events, oldest first, in one transaction. Returns how many were taken.

    The batch is tried whole under one savepoint; only when an event fails is it redone event by event, each
    under its own savepoint, so that the failing one is marked "error" and the others are stored."""
    with transaction.atomic():
        batch = list(
            RawEvent.objects.select_for_update(skip_locked=True)
            .filter(status=RawEvent.Status.QUEUED)
            .order_by("id")
            .values_list("id", "integration", "events", "received_at")[:limit]
        )
        if not batch:
            return 0
        routings = {key: Routing.from_config(config_of(key) or {}) for key in {key for _, key, *_ in batch}}
        try:
            with transaction.atomic():
                for _, key, records, received_at in batch:
                    _ingest(routings[key], records, received_at)
            failed: dict[int, str] = {}
        except Exception:  # noqa: BLE001 (found out below, event by event)
            failed = _ingest_one_by_one(batch, routings)
        ok = [raw_id for raw_id, *_ in batch if raw_id not in failed]
        if ok:
            RawEvent.objects.filter(pk__in=ok).update(status=RawEvent.Status.OK, events=[])
        counts = Counter(key for raw_id, key, *_ in batch if raw_id not in failed)
        for key, count in counts.items():
            integration_touch(key, count=count)
    return len(batch)


def _ingest(routing: Routing, records: list[dict[str, Any]], received_at: dt.datetime) -> None:
    for record in records:
        call_ingest(CallEvent.from_record(record), routing=routing, received_at=received_at)


def _ingest_one_by_one(
    batch: list[tuple[int, str, list[dict[str, Any]], dt.datetime]], routings: dict[str, Routing]
) -> dict[int, str]:
    failed: dict[int, str] = {}
    for raw_id, key, records, received_at in batch:
        try:
            with transaction.atomic():
                _ingest(routings[key], records, received_at)
        except Exception as exc:  # noqa: BLE001 (one bad event must not stop the queue behind it)
            expected = isinstance(exc, EventError | ServiceError | ValueError)
            if not expected:
                log.exception("raw event %s could not be ingested", raw_id)
            failed[raw_id] = str(exc) if expected else repr(exc)
            RawEvent.objects.filter(pk=raw_id).update(status=RawEvent.Status.ERROR, error=failed[raw_id])
            integration_touch(key, error=failed[raw_id])
    return failed


def calls_work(
    stop: threading.Event, *, idle_sleep: float = IDLE_SLEEP, on_batch: Callable[[int], None] | None = None
) -> None:
    """The worker loop: take batches while there are any, look again every `idle_sleep` seconds when idle."""
    locked_on: object = None
    while not stop.is_set():
        if connection.connection is None or connection.connection is not locked_on:
            if not _worker_lock():
                log.warning("another calls worker holds the queue; waiting")
                stop.wait(5)
                continue
            locked_on = connection.connection
        try:
            taken = queued_calls_process()
        except Exception:  # noqa: BLE001 (the database went away, say: reconnect and go on)
            log.exception("a batch of the call queue failed; retrying")
            close_old_connections()
            connection.close()
            taken = 0
            stop.wait(1)
        if on_batch is not None and taken:
            on_batch(taken)
        if not taken:
            stop.wait(idle_sleep)


def _worker_lock() -> bool:
    """On PostgreSQL, hold a session advisory lock so that two workers never share the queue (their batches would
    lock the same calls in different orders). SQLite writes are serial anyway."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [WORKER_LOCK])
        return bool(cursor.fetchone()[0])


def queued_count() -> int:
    return RawEvent.objects.filter(status=RawEvent.Status.QUEUED).count()
