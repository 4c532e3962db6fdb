"""What one new activity changes in the analytics state, as SQL statements sent in one round trip.

Recording an activity is the hottest write (telephony, mail, messengers): each statement here does in SQL
what reading and then writing would do in two, and on PostgreSQL they all travel together, prepared.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import psycopg
from django.db import connection
from psycopg.types.numeric import Int2, Int4, Int8, Int8Dumper

from .state_days import upsert_statement
from .terms import reply_attempt_sql

if TYPE_CHECKING:
    from .state import ActivityState

Statement = tuple[str, list[Any]]

_ATTEMPT = reply_attempt_sql("b")


def _t(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def reply_fact_insert(state: ActivityState) -> Statement:
    """A missed inbound call or inbound message, with the first reply attempt to its contact after it."""
    return (
        "INSERT INTO analytics_replyfact (activity_id, user_id, contact_id, missed_call, at, reply_id, reply_at) "
        "SELECT %s, %s, %s, %s, %s, r.id, r.started_at FROM (SELECT 1 AS one) AS one LEFT JOIN "
        "(SELECT b.id, b.started_at FROM activities_activity b WHERE b.contact_id = %s AND b.started_at > %s "
        f"AND {_ATTEMPT} ORDER BY b.started_at, b.id LIMIT 1) AS r ON 1 = 1",
        [
            state.id,
            state.user_id,
            state.contact_id,
            state.kind == "call",
            _t(state.started_at),
            state.contact_id,
            _t(state.started_at),
        ],
    )


def _earlier_than(column: str, id_column: str, state: ActivityState) -> tuple[str, list[Any]]:
    """`column` is empty or later than the activity (ties: a later id)."""
    at = _t(state.started_at)
    return (
        f"({column} IS NULL OR {column} > %s OR ({column} = %s AND {id_column} > %s))",
        [at, at, state.id],
    )


def statements(state: ActivityState) -> list[Statement]:
    at = _t(state.started_at)
    found = [upsert_statement(state.user_id, state.started_at, state)]
    contact = state.contact_id
    if state.is_inbound_to_answer:
        found.append(reply_fact_insert(state))
    elif state.is_reply_attempt and contact is not None:
        later, params = _earlier_than("reply_at", "reply_id", state)
        found.append(
            (
                "UPDATE analytics_replyfact SET reply_id = %s, reply_at = %s "
                f"WHERE contact_id = %s AND at < %s AND {later}",
                [state.id, at, contact, at, *params],
            )
        )
        later, params = _earlier_than("response_at", "response_id", state)
        found.append(
            (
                "UPDATE analytics_dealfact SET response_id = %s, response_at = %s "
                f"WHERE contact_id = %s AND created_at <= %s AND {later}",
                [state.id, at, contact, at, *params],
            )
        )
        if state.is_touch:  # the contact's first touch: this one if none is earlier (several when tied)
            found.append(("DELETE FROM analytics_firsttouch WHERE contact_id = %s AND at > %s", [contact, at]))
            found.append(
                (
                    "INSERT INTO analytics_firsttouch (activity_id, contact_id, user_id, at) SELECT %s, %s, %s, %s "
                    "WHERE NOT EXISTS (SELECT 1 FROM analytics_firsttouch WHERE contact_id = %s AND at < %s)",
                    [state.id, contact, state.user_id, at, contact, at],
                )
            )
    if state.deal_id is not None and state.kind != "note":  # may start the deal earlier or touch it before closing
        found.append(
            (
                "UPDATE analytics_dealfact SET start_at = CASE WHEN %s < start_at THEN %s ELSE start_at END, "
                "touches = touches + CASE WHEN closed_at IS NOT NULL AND %s <= closed_at AND %s THEN 1 ELSE 0 END "
                "WHERE deal_id = %s",
                [at, at, at, state.is_touch, state.deal_id],
            )
        )
    if state.kind == "call" and state.direction == "out" and state.user_id is not None and contact is not None:
        found.append(  # answers the user's callbacks to the client created at or before it, unless an earlier call did
            (
                "UPDATE analytics_callbackfact SET call_at = %s WHERE user_id = %s AND client_id = %s "
                "AND created_at <= %s AND (call_at IS NULL OR call_at > %s)",
                [at, state.user_id, contact, at, at],
            )
        )
    return found


def execute(found: list[Statement]) -> None:
    """Run the statements in order. On PostgreSQL outside a transaction they run as one (BEGIN … COMMIT)."""
    if connection.vendor == "postgresql":
        _execute_prepared(found)
        return
    with connection.cursor() as cursor:
        for sql, params in found:
            cursor.execute(sql, params)


def _execute_prepared(found: list[Statement]) -> None:
    """PostgreSQL: the statements as server-side prepared statements (parsed and planned once per connection,
    not on every write), sent in one pipeline: one round trip, a BEGIN and COMMIT around them when no
    transaction is open. Errors are Django's; in DEBUG the statements are logged as one entry."""
    connection.ensure_connection()
    conn = connection.connection
    alone = connection.get_autocommit() and not connection.in_atomic_block
    cursor: Any = psycopg.Cursor(conn)  # binds parameters on the server, which prepared statements need
    # Every integer as bigint. psycopg would pick int2, int4 or int8 by a plain int's value (one prepared statement
    # per combination of sizes), and would cut a value out of range to the size of Django's wrapper (Int4 …);
    # as bigint, PostgreSQL checks the column's range.
    for kind in (int, Int2, Int4, Int8):
        cursor.adapters.register_dumper(kind, Int8Dumper)
    logged = connection.make_debug_cursor(cursor) if connection.queries_logged else None
    with (
        logged.debug_sql("; ".join(sql for sql, _ in found), [p for _, params in found for p in params])
        if logged
        else nullcontext()
    ):
        with connection.wrap_database_errors:
            try:
                with conn.pipeline():
                    if alone:
                        cursor.execute("BEGIN")
                    for statement, params in found:
                        cursor.execute(statement, params, prepare=True)
                    if alone:
                        cursor.execute("COMMIT")
            except BaseException:
                if alone and conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                    conn.execute("ROLLBACK")  # the failed transaction is not left open on the connection
                raise
