"""Webhooks are accepted into a queue and ingested by the queue worker, batch by batch, in arrival order."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from huey.contrib.djhuey import HUEY

from salescope.activities.models import Activity
from salescope.core.errors import ServiceError
from salescope.integrations.models import Integration, RawEvent
from salescope.integrations.services import integration_configure
from salescope.telephony import services
from salescope.telephony.adapters.generic import signature
from salescope.telephony.events import CallEvent, Stage
from salescope.telephony.models import Call
from salescope.telephony.queue import queued_calls_process, queued_count

from .conftest import KNOWN, T0, UNKNOWN, Department

URL = "/hooks/telephony/generic/"
SECRET = "queue-secret"


@pytest.fixture
def queued(dept: Department) -> Iterator[Department]:
    """A worker set-up: webhooks only queue (the conftest runs tasks inline; here they must not)."""
    integration_configure("generic", secret=SECRET, lead_pipeline="p-sales")
    HUEY.immediate = False
    yield dept
    HUEY.immediate = True


def post(http: Client, payload: dict[str, object]) -> int:
    body = json.dumps({"direction": "in", "client": KNOWN, "extension": "101", **payload}).encode()
    headers = {"X-Salescope-Signature": signature(SECRET, body)}
    return http.post(URL, body, content_type="application/json", headers=headers).status_code


def start(call_id: str, number: str = KNOWN) -> dict[str, object]:
    return {"call_id": call_id, "client": number, "event": "start", "started_at": T0.isoformat()}


def end(call_id: str, number: str = KNOWN, outcome: str = "answered") -> dict[str, object]:
    answered = {"answered_at": (T0 + dt.timedelta(seconds=9)).isoformat()} if outcome == "answered" else {}
    return {
        "call_id": call_id,
        "client": number,
        "event": "end",
        "started_at": T0.isoformat(),
        "ended_at": (T0 + dt.timedelta(seconds=70)).isoformat(),
        "outcome": outcome,
        **answered,
    }


def test_a_webhook_is_answered_once_queued_and_the_worker_stores_the_call(queued: Department, client: Client) -> None:
    assert post(client, end("q-1")) == 200
    raw = RawEvent.objects.get()
    assert raw.status == "queued" and raw.events[0]["call_id"] == "q-1"
    assert not Call.objects.exists() and queued_count() == 1

    assert queued_calls_process() == 1
    raw.refresh_from_db()
    assert (raw.status, raw.events) == ("ok", [])
    activity = Activity.objects.get(external_id="q-1")
    assert (activity.status, activity.contact_id, activity.user_id) == ("answered", queued.client.pk, queued.ivanov.pk)
    assert Integration.objects.get(key="generic").events_received == 1
    assert queued_calls_process() == 0


def test_the_worker_takes_events_in_arrival_order_and_in_batches(queued: Department, client: Client) -> None:
    for i in range(5):
        assert post(client, end(f"b-{i}", UNKNOWN, "missed" if i % 2 else "answered")) == 200
        assert post(client, start(f"b-{i}", UNKNOWN)) == 200  # a late start changes nothing of the end
    assert queued_calls_process(limit=4) == 4
    assert queued_calls_process(limit=100) == 6
    assert Call.objects.count() == 5
    statuses = dict(Activity.objects.values_list("external_id", "status"))
    assert statuses == {f"b-{i}": "missed" if i % 2 else "answered" for i in range(5)}
    assert Activity.objects.values("contact_id").distinct().count() == 1  # one new client for the number
    assert Integration.objects.get(key="generic").events_received == 10


def test_a_failing_event_is_marked_with_its_reason_and_the_rest_of_its_batch_is_stored(
    queued: Department, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = services.call_ingest

    def fussy(event: CallEvent, **kwargs: Any) -> Call:
        if event.call_id == "bad":
            real(event, **kwargs)  # writes first, then fails: its writes must be undone
            raise ServiceError("lead_pipeline", "the pipeline is gone")
        return real(event, **kwargs)

    monkeypatch.setattr("salescope.telephony.queue.call_ingest", fussy)
    for call_id in ("good-1", "bad", "good-2"):
        assert post(client, end(call_id)) == 200
    assert queued_calls_process() == 3
    assert set(Activity.objects.values_list("external_id", flat=True)) == {"good-1", "good-2"}
    bad = RawEvent.objects.get(status="error")
    assert bad.error == "lead_pipeline: the pipeline is gone" and json.loads(bad.payload)["call_id"] == "bad"
    assert RawEvent.objects.filter(status="ok").count() == 2
    status = Integration.objects.get(key="generic")
    assert status.last_error == "lead_pipeline: the pipeline is gone" and status.events_received == 3


def test_malformed_and_unsigned_webhooks_are_answered_at_once_and_never_queued(
    queued: Department, client: Client
) -> None:
    assert post(client, {"call_id": "x", "event": "end", "direction": "sideways"}) == 400
    body = json.dumps(end("y")).encode()
    assert client.post(URL, body, content_type="application/json").status_code == 403
    assert queued_count() == 0
    assert sorted(RawEvent.objects.values_list("status", flat=True)) == ["error", "rejected"]


def test_the_queue_command_processes_what_is_queued(queued: Department, client: Client, capsys) -> None:
    for i in range(3):
        post(client, end(f"c-{i}"))
    call_command("telephony_queue", "--once")
    assert "processed 3 queued webhooks" in capsys.readouterr().out
    assert Call.objects.count() == 3 and queued_count() == 0


def test_a_call_event_survives_the_queue_unchanged() -> None:
    event = CallEvent(
        "mango",
        "m-1",
        Stage.SUMMARY,
        "in",
        KNOWN,
        "+74950000000",
        "101",
        T0,
        T0 + dt.timedelta(seconds=3),
        T0 + dt.timedelta(seconds=90, microseconds=5),
        "answered",
        3,
        87,
        "rec-1",
    )
    assert CallEvent.from_record(json.loads(json.dumps(event.as_record()))) == event
    bare = CallEvent("generic", "g-1", Stage.RECORDING)
    assert CallEvent.from_record(json.loads(json.dumps(bare.as_record()))) == bare


@pytest.mark.django_db
def test_only_one_queue_worker_takes_the_queue_at_a_time() -> None:
    from django.db import connection

    from salescope.telephony.queue import WORKER_LOCK, _worker_lock

    if connection.vendor != "postgresql":
        pytest.skip("the worker lock is a PostgreSQL advisory lock (SQLite writes are serial anyway)")
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [WORKER_LOCK])
        assert _worker_lock() is False
        other.execute("SELECT pg_advisory_unlock(%s)", [WORKER_LOCK])
    assert _worker_lock() is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [WORKER_LOCK])
