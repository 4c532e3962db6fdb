"""What one webhook costs the database, and the cached lookups behind that cost staying right."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from salescope.activities.models import Activity
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal
from salescope.deals.services import pipeline_create
from salescope.integrations.services import integration_configure
from salescope.telephony.adapters.generic import signature
from salescope.telephony.events import CallEvent, Stage
from salescope.telephony.routing import Routing
from salescope.telephony.services import call_ingest

from .conftest import KNOWN, T0, UNKNOWN, Department

URL = "/hooks/telephony/generic/"
SECRET = "s3cr3t"


def hook(client: Client, **payload: object) -> int:
    body = json.dumps({"call_id": "q1", "direction": "in", "client": KNOWN, "extension": "101", **payload}).encode()
    headers = {"X-Salescope-Signature": signature(SECRET, body)}
    return client.post(URL, body, content_type="application/json", headers=headers).status_code


def statements(queries: CaptureQueriesContext) -> list[str]:
    """The SQL run, without the savepoints of the test's own transaction."""
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


@pytest.fixture
def without_analytics(monkeypatch: pytest.MonkeyPatch) -> None:
    """The analytics state hooks are counted apart (they are being rewritten): here they do nothing."""
    from salescope.analytics import state

    for name in ("activity_recorded", "activity_changed", "deal_created"):
        monkeypatch.setattr(state, name, lambda *args, **kwargs: None)


def test_a_known_clients_call_costs_a_fixed_number_of_queries(
    dept: Department, client: Client, without_analytics: None
) -> None:
    integration_configure("generic", secret=SECRET)
    hook(client, event="start", started_at=T0.isoformat())  # warms the per-process lookups
    end = {
        "event": "end",
        "started_at": T0.isoformat(),
        "answered_at": "2026-07-03T11:02:21+00:00",
        "ended_at": "2026-07-03T11:03:11+00:00",
        "outcome": "answered",
    }
    with CaptureQueriesContext(connection) as queries:
        assert hook(client, **end) == 200
    with CaptureQueriesContext(connection) as duplicate:
        assert hook(client, **end) == 200
    sql = statements(queries)
    # Accepting: the queued raw event. Processing (inline here, in the queue worker in production): the batch, the
    # call (PostgreSQL: one upsert that locks it; SQLite: insert-or-ignore, then select), the activity update, the
    # open callbacks this call answers, the call update, the batch marked processed, the status touch.
    assert len(sql) == {"postgresql": 8, "sqlite": 9}[connection.vendor], "\n".join(sql)
    assert len(statements(duplicate)) == {"postgresql": 5, "sqlite": 6}[connection.vendor]
    assert Activity.objects.get(external_id="q1").status == "answered"


def missed(call_id: str, number: str) -> CallEvent:
    return CallEvent("generic", call_id, Stage.ENDED, "in", number, started_at=T0, ended_at=T0, outcome="missed")


def test_an_unknown_callers_lead_goes_into_the_configured_pipeline_also_after_a_change(dept: Department) -> None:
    other = pipeline_create(name="Inbound", ref="p-in", stages=[("i-new", "New", "open"), ("i-won", "Won", "won")])
    routing = Routing(lead_pipeline="p-in")
    call_ingest(missed("n1", UNKNOWN), routing=routing)
    assert Deal.objects.get(contact__phones__number=UNKNOWN).pipeline == other
    other.ref = "p-in-2025"
    other.save()  # no pipeline is "p-in" any more: the cached one is forgotten at once
    call_ingest(missed("n2", "+79030000077"), routing=routing)
    assert Contact.objects.filter(phones__number="+79030000077").exists()
    assert not Deal.objects.filter(contact__phones__number="+79030000077").exists()  # no pipeline: no lead deal
    call_ingest(missed("n3", "+79030000078"), routing=Routing())
    assert Deal.objects.get(contact__phones__number="+79030000078").pipeline == dept.pipeline  # the first one


@pytest.mark.django_db(transaction=True)
def test_a_new_number_made_a_client_by_a_concurrent_call_is_not_made_twice(dept: Department) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    locked, release = threading.Event(), threading.Event()
    made: list[Contact] = []

    def another_call_from_the_same_number() -> None:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"telephony-client:{UNKNOWN}"])
            locked.set()
            release.wait(5)
            made.append(contact_create(name="Made meanwhile", phones=[UNKNOWN], owner=dept.petrova))
        connections.close_all()

    other = threading.Thread(target=another_call_from_the_same_number)
    other.start()
    assert locked.wait(5)
    threading.Timer(0.3, release.set).start()  # commits while this call waits for the number's lock
    call_ingest(missed("race", UNKNOWN), routing=Routing(lead_pipeline="p-sales"))
    other.join()
    assert Contact.objects.filter(phones__number=UNKNOWN).count() == 1
    assert Activity.objects.get(external_id="race").contact == made[0]
    assert not Deal.objects.filter(contact=made[0]).exists()
