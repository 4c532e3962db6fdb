"""The incremental state (state.py) and the fast report path against the raw path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescope.activities.models import Activity
from salescope.analytics import state
from salescope.analytics.models import ReplyFact, UserDay
from salescope.analytics.report import build_report
from salescope.analytics.verify import report_differences, state_differences
from salescope.billing.services import invoice_issue, payment_record
from salescope.followups.services import task_create

from .conftest import Dept, at

AS_OF = at("2026-04-10 00:00")


class _Rollback(Exception):
    pass


ACTIVITY_FIELDS = (
    st.sampled_from(
        [
            ("call", "in", "missed"),
            ("call", "in", "answered"),
            ("call", "out", "missed"),
            ("call", "out", "answered"),
            ("email", "in", ""),
            ("email", "out", ""),
            ("message", "in", ""),
            ("message", "out", ""),
            ("meeting", "", ""),
            ("proposal", "", ""),
            ("note", "", ""),
        ]
    ),
    st.integers(0, 40 * 24 * 4),  # quarter hours from 2026-02-27 00:00 Moscow: around both ends of March
    st.integers(0, 2),  # user: u1, u2, none
    st.integers(0, 3),  # contact: c1..c3, none
    st.integers(0, 1000),  # duration / wait
)
ACTIVITY = st.tuples(*ACTIVITY_FIELDS)

DEAL = st.tuples(st.integers(0, 40 * 24 * 4), st.integers(0, 1), st.integers(0, 2))
RETUNES = [("in", "missed"), ("in", "answered"), ("out", "missed"), ("out", "answered"), ("in", ""), ("out", "")]
LINK = st.integers(0, 4)  # the activity's deal: one of the first four deals recorded so far, else none
MOVE = st.tuples(st.just("move"), st.integers(0, 3), st.sampled_from(["new", "talk", "won", "lost"]), st.integers(0, 8))
CALLBACK = st.tuples(
    st.just("callback"), st.integers(0, 1), st.integers(0, 3), st.integers(0, 40 * 24 * 4), st.integers(0, 12)
)
INVOICE = st.tuples(st.just("invoice"), st.integers(0, 3), st.integers(0, 40 * 24 * 4), st.integers(0, 99_999))
PAYMENT = st.tuples(st.just("payment"), st.integers(0, 3), st.integers(0, 40 * 24 * 4), st.integers(0, 99_999))
START = at("2026-02-27 00:00")


def _quarter(n: int) -> dt.datetime:
    return START + dt.timedelta(minutes=15 * n)


def _record(d: Dept, contacts: list[Any], spec: tuple[Any, ...], deals: list[Any] | None = None) -> Activity:
    (kind, direction, status), quarter, user, contact, seconds = spec[:5]
    link = spec[5] if len(spec) > 5 else 4
    when = at("2026-02-27 00:00") + dt.timedelta(minutes=15 * quarter)
    answered = status == "answered"
    return d.act(
        kind,
        when.isoformat(),
        [d.u1, d.u2, None][user],
        contact=contacts[contact] if contact < 3 else None,
        direction=direction,
        status=status,
        duration_s=seconds if answered else None,
        wait_s=seconds % 60 if answered and direction == "in" and seconds % 3 else None,
        deal=deals[link] if deals and link < len(deals) else None,
    )


def _replay(dept: Dept, contacts: list[Any], history: list, deals: list[Any], recorded: list[Activity]) -> None:
    """Record the random history through the services, in its (not time) order."""
    invoices: list[Any] = []
    for number, spec in enumerate(history):
        if spec[0] == "move":  # (move, deal slot, stage, hours after the deal's creation)
            if spec[1] < len(deals):
                deal = deals[spec[1]]
                when = deal.created_at + dt.timedelta(hours=spec[3], seconds=number)  # distinct instants
                dept.move(deal, spec[2], when.isoformat(), reason="r")
        elif spec[0] == "callback":  # (callback, user, contact or the first deal's, created quarter, due quarters)
            _, user, contact, quarter, due = spec
            task_create(
                kind="callback",
                user=[dept.u1, dept.u2][user],
                created_at=_quarter(quarter),
                due_at=_quarter(quarter + due),
                contact=contacts[contact] if contact < 3 else None,
                deal=deals[0] if contact == 3 and deals else None,
            )
        elif spec[0] == "invoice":  # (invoice, deal slot, issued quarter, cents)
            if spec[1] < len(deals):
                invoices.append(
                    invoice_issue(deal=deals[spec[1]], amount=Decimal(spec[3]) / 100, issued_at=_quarter(spec[2]))
                )
        elif spec[0] == "payment":  # (payment, invoice slot, paid quarter, cents)
            if spec[1] < len(invoices):
                payment_record(invoice=invoices[spec[1]], amount=Decimal(spec[3]) / 100, paid_at=_quarter(spec[2]))
        elif len(spec) == 3:  # a deal: (quarter, owner, contact)
            owner = [dept.u1, dept.u2][spec[1]]
            deals.append(dept.deal(f"d{number}", contacts[spec[2]], owner, _quarter(spec[0]).isoformat()))
        else:
            recorded.append(_record(dept, contacts, spec, deals))


def _assert_fast_equals_raw() -> None:
    assert state_differences() == []
    for date_from, date_to in (
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 1)),
    ):
        assert report_differences(date_from=date_from, date_to=date_to, as_of=AS_OF) == []


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    history=st.lists(
        st.one_of(ACTIVITY, st.tuples(*ACTIVITY_FIELDS, LINK), DEAL, MOVE, CALLBACK, INVOICE, PAYMENT),
        max_size=30,
    ),
    changes=st.lists(st.tuples(st.integers(0, 24), ACTIVITY), max_size=3),
    retunes=st.lists(st.tuples(st.integers(0, 29), st.sampled_from(RETUNES)), max_size=4),
)
def test_fast_path_equals_raw_path_over_random_histories(
    dept: Dept, history: list, changes: list, retunes: list
) -> None:
    """Activities (some linked to deals), deals, stage moves (reopened, lost, won again), callbacks, invoices
    and payments recorded in random (not time) order, some activities changed afterwards as telephony does."""
    try:
        with transaction.atomic():
            contacts = [dept.contact(f"h{i}") for i in range(3)]
            deals: list[Any] = []
            recorded: list[Activity] = []
            _replay(dept, contacts, history, deals, recorded)
            for index, spec in changes:
                if not recorded:
                    break
                activity = recorded[index % len(recorded)]
                before = state.snapshot(activity)
                (kind, direction, status), quarter, user, contact, seconds = spec
                activity.kind, activity.direction, activity.status = kind, direction, status
                activity.started_at = at("2026-02-27 00:00") + dt.timedelta(minutes=15 * quarter)
                activity.user = [dept.u1, dept.u2, None][user]
                activity.contact = contacts[contact] if contact < 3 else None
                activity.duration_s = seconds if status == "answered" else None
                activity.wait_s = None
                activity.save()
                state.activity_changed(before, activity)
            for index, (direction, status) in retunes:  # as telephony: a ringing call answered, a direction fixed
                if not recorded:
                    break
                activity = recorded[index % len(recorded)]
                if (activity.kind == "call") != bool(status) or activity.kind not in ("call", "email", "message"):
                    continue
                before = state.snapshot(activity)
                if activity.contact_id is None:  # a new number's call given its contact and lead
                    activity.contact = contacts[index % 3]
                    activity.deal = deals[index % len(deals)] if deals else None
                activity.direction, activity.status = direction, status
                activity.duration_s = 30 if status == "answered" else None
                activity.wait_s = None
                activity.save()
                state.activity_changed(before, activity)
            _assert_fast_equals_raw()
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.django_db
def test_out_of_order_replies_update_the_reply_facts(dept: Dept) -> None:
    c1 = dept.contact("c1")
    dept.act("call", "2026-03-02 12:00", dept.u1, contact=c1, direction="out", status="missed")
    missed = dept.act("call", "2026-03-02 10:00", dept.u1, contact=c1, direction="in", status="missed")
    assert ReplyFact.objects.get(activity_id=missed.pk).reply_at == at("2026-03-02 12:00")
    backdated = dept.act("email", "2026-03-02 11:00", dept.u2, contact=c1, direction="out")
    fact = ReplyFact.objects.get(activity_id=missed.pk)
    assert (fact.reply_id, fact.reply_at) == (backdated.pk, at("2026-03-02 11:00"))
    dept.act("call", "2026-03-02 10:00", dept.u2, contact=c1, direction="out", status="missed")  # same instant
    assert ReplyFact.objects.get(activity_id=missed.pk).reply_id == backdated.pk
    result = build_report(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=AS_OF)
    assert result["users"]["u1"]["missed_call_return_median_s"] == 3600
    assert UserDay.objects.get(user_id=dept.u1.pk, calls_in=1).day == dt.date(2026, 3, 2)


@pytest.mark.django_db
def test_fast_path_only_when_as_of_after_last_write_in_department_zone(dept: Dept) -> None:
    dept.act("call", "2026-03-31 23:30", dept.u1, direction="out", status="missed")
    assert state.fast_path_applies("Europe/Moscow", at("2026-03-31 23:30"))
    assert not state.fast_path_applies("Europe/Moscow", at("2026-03-31 23:29:59"))
    assert not state.fast_path_applies("UTC", AS_OF)


@pytest.mark.django_db
def test_verify_reports_no_difference_then_a_corrupted_counter(dept: Dept) -> None:
    dept.act("call", "2026-03-05 10:00", dept.u1, direction="out", status="missed")
    out = StringIO()
    call_command(
        "analytics", "verify", "--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-04-01T00:00Z", stdout=out
    )
    assert "no difference" in out.getvalue()
    UserDay.objects.update(calls_out=2)
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "analytics",
            "verify",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--as-of",
            "2026-04-01T00:00Z",
            stdout=out,
        )
    assert error.value.returncode == 1
    assert "report.department.calls_out: fast 2 != raw 1" in out.getvalue()
    assert "activity day stored but not in raw data" in out.getvalue()


@pytest.mark.django_db
def test_rebuild_command_repairs_a_corrupted_state(dept: Dept) -> None:
    dept.act("call", "2026-03-05 10:00", dept.u1, direction="out", status="missed")
    UserDay.objects.update(calls_out=7)
    assert state_differences() != []
    out = StringIO()
    call_command("analytics", "rebuild", stdout=out)
    assert "rebuilt" in out.getvalue()
    assert state_differences() == []
    assert UserDay.objects.get().calls_out == 1


@pytest.mark.django_db(transaction=True)
def test_after_a_rebuild_postgresql_orders_and_vacuums_the_state_tables() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("CLUSTER and VACUUM are PostgreSQL's")
    state.tidy_after_rebuild()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) AND last_vacuum IS NOT NULL",
            [list(state.STATE_TABLES)],
        )
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(state.STATE_TABLES)
        cursor.execute(
            "SELECT t.relname, i.relname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indisclustered AND t.relname = ANY(%s)",
            [list(state.STATE_TABLES)],
        )
        assert dict(cursor.fetchall()) == state.PERIOD_INDEXES


def test_each_state_table_is_ordered_by_an_index_on_its_period_column() -> None:
    from salescope.analytics.models import STATE_MODELS

    for model in STATE_MODELS:
        (index,) = [found for found in model._meta.indexes if found.name == state.PERIOD_INDEXES[model._meta.db_table]]
        assert index.fields[0] in {"day", "at", "created_at", "due_at", "call_started_at"}, model


@pytest.mark.django_db
def test_a_ringing_call_answered_changes_the_state_in_one_round_trip(dept: Dept) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = dept.contact("c1")
    deal = dept.deal("d1", client, dept.u1, "2026-03-02 09:00")
    dept.act("email", "2026-03-02 09:30", dept.u2, contact=client, direction="in")
    call = dept.act("call", "2026-03-02 10:00", dept.u1, contact=client, deal=deal, direction="in", status="missed")
    before = state.snapshot(call)
    call.status, call.duration_s = "answered", 90
    call.save()
    with CaptureQueriesContext(connection) as queries:
        state.activity_changed(before, call)
    assert len(queries.captured_queries) <= (1 if connection.vendor == "postgresql" else 8)
    assert not ReplyFact.objects.filter(activity_id=call.pk).exists()
    assert ReplyFact.objects.get(contact_id=client.pk).reply_id == call.pk  # the answered call replies to the e-mail
    _assert_fast_equals_raw()


@pytest.mark.django_db
def test_delays_with_microseconds_are_exact_on_the_fast_path(dept: Dept) -> None:
    client = dept.contact("c1")
    dept.act("call", "2026-03-02 10:00:00.250000", dept.u1, contact=client, direction="in", status="missed")
    dept.act("call", "2026-03-02 10:00:01", dept.u1, contact=client, direction="out", status="missed")
    deal = dept.deal("d1", client, dept.u1, "2026-03-03 09:00:00.999999")
    dept.act("email", "2026-03-03 09:15:00.999998", dept.u2, contact=client, deal=deal, direction="out")
    fast = build_report(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=AS_OF, fast=True)
    raw = build_report(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=AS_OF, fast=False)
    assert fast["users"]["u1"]["missed_call_return_median_s"] == 0.75
    assert fast["users"]["u1"]["first_response_median_s"] == 899.999999
    assert fast["users"]["u1"]["first_response_sla_rate"] == 1.0
    assert fast == raw


def test_every_metric_has_a_fast_path_value() -> None:
    """A metric added to the registry must be given its value from the state too (rollups or summary)."""
    from salescope.analytics.registry import METRICS
    from salescope.analytics.rollups import ROLLUPS
    from salescope.analytics.summary import VALUES

    missing = [m.key for m in METRICS if m.key not in ROLLUPS and m.key not in VALUES and m.source != "reviews"]
    assert missing == []
