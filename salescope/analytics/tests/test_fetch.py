"""The fast path's reads run on two connections at once outside a transaction, with the same results."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from typing import Any

import pytest

from salescope.analytics import summary
from salescope.analytics.report import build_report
from salescope.analytics.verify import report_differences

from .conftest import Dept, at


@pytest.fixture
def committed_dept(transactional_db: Any) -> Dept:
    return Dept()


def test_outside_a_transaction_a_second_connection_shares_the_reads_and_the_values_stay_exact(
    committed_dept: Dept, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = committed_dept
    client = d.contact("c1")
    deal = d.deal("d1", client, d.u1, "2026-03-02 09:00", amount="1234.56")
    d.act("call", "2026-03-02 09:05", d.u2, contact=client, direction="in", status="missed")
    d.act("call", "2026-03-02 09:20", d.u1, contact=client, direction="out", status="answered")
    d.move(deal, "won", "2026-03-10 12:00")
    helpers: list[str] = []
    start = threading.Thread.start

    def counted(thread: threading.Thread) -> None:
        helpers.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counted)
    period = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert report_differences(date_from=period[0], date_to=period[1], as_of=at("2026-04-10 00:00")) == []
    assert "report-sql" in helpers  # the fast report read through the helper thread too
    report = build_report(date_from=period[0], date_to=period[1], as_of=at("2026-04-10 00:00"), fast=True)
    assert report["department"]["revenue_won"] == "1234.56"
    assert report["department"]["missed_calls_returned"] == 1


@pytest.mark.parametrize("failing", ["MainThread", "report-sql"])
def test_a_failing_read_in_either_thread_fails_the_report(failing: str) -> None:
    """(No database: outside a transaction, so the helper thread takes part.) Each thread takes one of the two
    reads: the first to start waits at the barrier until the other thread has taken the second."""
    both_started = threading.Barrier(2, timeout=10)
    seen: list[str] = []

    def read() -> int:
        both_started.wait()
        name = threading.current_thread().name
        seen.append(name)
        if name == failing:
            raise RuntimeError("the database went away")
        return 1

    fetch = summary._Fetch()
    fetch.call(read)
    fetch.call(read)
    with pytest.raises(RuntimeError, match="went away"):
        fetch.run()
    assert sorted(seen) == ["MainThread", "report-sql"]
    fetch = summary._Fetch()
    reads = [fetch.call(functools.partial(int, 10 * i)) for i in range(5)]
    fetch.run()
    assert [fetch[r] for r in reads] == [0, 10, 20, 30, 40]


@pytest.mark.django_db
def test_postgresql_reads_arrive_in_binary_through_djangos_cursor_wrapper() -> None:
    from django.db import DatabaseError, connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads through Django's own cursor")
    with CaptureQueriesContext(connection) as captured:
        rows = summary._rows("SELECT %s::bigint, array_agg(x) FROM generate_series(1, 3) AS x", [2**40])
    assert rows == [(2**40, [1, 2, 3])]
    assert len(captured) == 1 and "generate_series" in captured[0]["sql"]  # logged like any query
    cursor = summary._binary_cursor()
    assert cursor.cursor.format == 1  # psycopg.pq.Format.BINARY
    cursor.close()
    with pytest.raises(DatabaseError, match="no_such_table"):  # errors translated as Django's
        summary._rows("SELECT 1 FROM no_such_table WHERE 1 = %s", [1])


SETTINGS_SQL = "SELECT current_setting('work_mem'), current_setting('max_parallel_workers_per_gather')"


def _run_settings_reads() -> list[Any]:
    fetch = summary._Fetch()
    handles = [fetch.rows(SETTINGS_SQL, []) for _ in range(4)]  # on both connections
    fetch.run()
    return [fetch[handle] for handle in handles]


@pytest.mark.parametrize("in_transaction", [False, True])
def test_report_statements_run_with_the_report_settings_and_leave_none_behind(
    transactional_db: Any, in_transaction: bool
) -> None:
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the settings are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(SETTINGS_SQL)
        before = cursor.fetchone()
    expected = [(summary.REPORT_SETTINGS["work_mem"], summary.REPORT_SETTINGS["max_parallel_workers_per_gather"])]
    if in_transaction:
        with transaction.atomic():
            assert _run_settings_reads() == [expected] * 4
    else:
        assert _run_settings_reads() == [expected] * 4
    with connection.cursor() as cursor:
        cursor.execute(SETTINGS_SQL)
        assert cursor.fetchone() == before != expected[0]
