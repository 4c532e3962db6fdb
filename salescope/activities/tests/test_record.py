"""activity_record on PostgreSQL: the activity and its analytics state as prepared statements in one round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, DataError, connection, transaction
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


def _prepared(prefix: str) -> list[tuple[int, int]]:
    """(generic, custom) plan counts of this connection's server-side prepared statements starting with `prefix`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            [prefix.replace("%", "\\%") + "%"],
        )
        return [tuple(row) for row in cursor.fetchall()]


def test_the_statements_are_prepared_once_per_connection_and_executed_each_write() -> None:
    user = user_create(username="u", name="U")
    for minute in range(7):
        activity_record(kind="meeting", started_at=T0 + dt.timedelta(minutes=minute), user=user)
    insert = _prepared('INSERT INTO "activities_activity"')
    assert len(insert) == 1 and sum(insert[0]) == 7  # one statement, planned no more than once per execution
    assert len(_prepared("INSERT INTO analytics_userday")) == 1
    assert UserDay.objects.get().meetings == 7 and state_differences() == []


def test_integers_of_any_size_share_one_prepared_statement() -> None:
    for duration in (5, 40_000, 2**31 - 1):  # int2 and int4 sized
        activity_record(kind="call", direction="out", status="answered", duration_s=duration, started_at=T0)
    for prefix in ('INSERT INTO "activities_activity"', "INSERT INTO analytics_userday"):  # talk time: plain ints
        prepared = _prepared(prefix)
        assert len(prepared) == 1 and sum(prepared[0]) == 3, prefix
    assert sorted(Activity.objects.values_list("duration_s", flat=True), key=lambda d: d or 0) == [5, 40_000, 2**31 - 1]


def test_without_prepared_statements_the_writes_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)  # as DB_PREPARED_STATEMENTS=0 sets
    user = user_create(username="u", name="U")
    client = contact_create(name="Client", created_at=T0)
    activity_record(kind="call", direction="in", status="missed", started_at=T0, user=user, contact=client)
    activity_record(kind="call", direction="out", status="answered", duration_s=5, started_at=T0, user=user)
    assert _prepared("") == [] and Activity.objects.count() == 2
    assert state_differences() == []


def test_within_a_callers_transaction_a_failed_write_takes_back_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    real = state_activity.statements
    with transaction.atomic():
        kept = activity_record(kind="meeting", started_at=T0)
        monkeypatch.setattr(state_activity, "statements", lambda state: [*real(state), ("SELECT 1 / 0", [])])
        with pytest.raises(DatabaseError):
            activity_record(kind="meeting", started_at=T0)
        monkeypatch.setattr(state_activity, "statements", real)
        also = activity_record(kind="proposal", started_at=T0)
    assert sorted(Activity.objects.values_list("pk", flat=True)) == sorted([kept.pk, also.pk])
    assert (UserDay.objects.get().meetings, UserDay.objects.get().proposals) == (1, 1)


def test_an_integer_out_of_its_columns_range_is_refused_not_cut() -> None:
    for duration in (2**31, 2**40, 2**70):  # duration_s is an int4 column
        with pytest.raises(DataError, match="out of range"):
            activity_record(kind="call", direction="out", status="answered", duration_s=duration, started_at=T0)
    assert not Activity.objects.exists() and not UserDay.objects.exists()
