"""activity_record outside a transaction on PostgreSQL: the activity and its analytics state in one round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from salescope.accounts.services import user_create
from salescope.activities.models import Activity
from salescope.activities.services import activity_record
from salescope.analytics import state_activity
from salescope.analytics.models import UserDay
from salescope.analytics.verify import state_differences
from salescope.contacts.services import contact_create

pytestmark = pytest.mark.django_db(transaction=True)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-round-trip write is PostgreSQL's (SQLite writes in a transaction as before)")


def test_outside_a_transaction_a_call_and_its_state_take_one_round_trip() -> None:
    user = user_create(username="u", name="U")
    client = contact_create(name="Client", created_at=T0)
    activity_record(kind="call", direction="in", status="missed", started_at=T0, user=user, contact=client)
    with CaptureQueriesContext(connection) as queries:
        reply = activity_record(
            kind="call",
            direction="out",
            status="answered",
            duration_s=42,
            started_at=T0 + dt.timedelta(minutes=5),
            user=user,
            contact=client,
        )
    assert len(queries.captured_queries) == 1  # ids come in blocks: no query for this one's
    assert Activity.objects.get(pk=reply.pk).duration_s == 42 and not reply._state.adding
    assert UserDay.objects.get().calls_out == 1
    assert state_differences() == []  # the missed call's reply fact points at the reply


def test_when_the_state_fails_the_activity_is_not_stored_either(monkeypatch: pytest.MonkeyPatch) -> None:
    real = state_activity.statements
    monkeypatch.setattr(state_activity, "statements", lambda state: [*real(state), ("SELECT 1 / 0", [])])
    with pytest.raises(DatabaseError):
        activity_record(kind="meeting", started_at=T0)
    assert not Activity.objects.exists() and not UserDay.objects.exists()
    monkeypatch.setattr(state_activity, "statements", real)
    stored = activity_record(kind="meeting", started_at=T0)  # the connection is fine afterwards
    assert Activity.objects.get().pk == stored.pk


def test_texts_are_bound_as_values_whatever_they_hold() -> None:
    awkward = "O'Brien; DROP TABLE activities_activity; -- %s %(x)s \\ ' \" ё 😀"
    stored = activity_record(kind="email", direction="out", started_at=T0, subject=awkward, body=awkward * 3)
    again = Activity.objects.get(pk=stored.pk)
    assert (again.subject, again.body) == (awkward, awkward * 3)
    assert Activity.objects.count() == 1
