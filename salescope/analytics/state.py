"""Maintaining the incremental analytics state (models.py) on every write, and rebuilding it from raw data.

Write services call exactly one function here inside their own transaction:
`activity_recorded` after inserting an activity, `activity_changed` after changing one.
Bulk writers (the bundle importer) call `refresh_after_bulk_write` at the end of their transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from salescope.activities.models import Activity
from salescope.billing.models import Invoice, Payment
from salescope.deals.models import Deal

from . import state_activity, state_money, terms
from .models import STATE_MODELS, CallbackFact, DealFact, FirstTouch, ReplyFact
from .state_callbacks import (
    callback_facts_refresh,
    callback_facts_refresh_client,
    rebuild_callback_facts,
)
from .state_days import add_activity, rebuild_days, upsert_statement
from .state_deals import (
    contact_fields_changed,
    deal_fact_created,
    deal_facts_refresh,
    first_response,
    rebuild_deal_facts,
    reply_attempts,
)
from .state_reviews import rebuild_review_facts, review_facts_refresh
from .summary import db_instant


@dataclass(frozen=True)
class ActivityState:
    """The fields of an activity the analytics state depends on."""

    id: int
    user_id: int | None
    contact_id: int | None
    kind: str
    direction: str
    status: str
    duration_s: int | None
    wait_s: int | None
    started_at: dt.datetime
    deal_id: int | None = None

    @property
    def is_inbound_to_answer(self) -> bool:
        """A missed inbound call or an inbound message/e-mail (the items of the reply-speed metrics)."""
        if self.direction != "in":
            return False
        return (self.kind == "call" and self.status == "missed") or self.kind in ("message", "email")

    @property
    def is_touch(self) -> bool:
        return terms.is_touch(self.kind, self.direction, self.status)

    @property
    def is_reply_attempt(self) -> bool:
        return terms.is_reply_attempt(self.kind, self.direction, self.status)


def snapshot(activity: Activity) -> ActivityState:
    return ActivityState(
        id=activity.pk,
        user_id=activity.user_id,
        contact_id=activity.contact_id,
        kind=activity.kind,
        direction=activity.direction,
        status=activity.status,
        duration_s=activity.duration_s,
        wait_s=activity.wait_s,
        started_at=activity.started_at,
        deal_id=activity.deal_id,
    )


def department_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --------------------------------------------------------------------------- single writes


def activity_recorded(activity: Activity) -> None:
    """Account for a newly inserted activity (call inside the writing transaction)."""
    state_activity.execute(state_activity.statements(snapshot(activity)))


def activity_recorded_with(insert: tuple[str, list[Any]], activity: Activity) -> None:
    """Run `insert` (the activity's INSERT, its id given) and the state statements of the new activity together
    (PostgreSQL: one round trip, one transaction)."""
    state_activity.execute([insert, *state_activity.statements(snapshot(activity))])


def deal_created(deal: Deal) -> None:
    """Account for a new deal (call inside the writing transaction)."""
    deal_fact_created(deal)


def contact_changed(contact_id: int) -> None:
    """Account for a change of the contact's source or campaign (copied onto its deals' facts)."""
    contact_fields_changed(contact_id)


def invoice_issued(invoice: Invoice) -> None:
    """Account for a new invoice (call inside the writing transaction)."""
    state_money.invoice_issued(invoice)


def payment_recorded(payment: Payment) -> None:
    """Account for a new payment (call inside the writing transaction)."""
    state_money.payment_recorded(payment)


def deal_stage_changed(deal_id: int) -> None:
    """Account for a stage change written for the deal (call inside the writing transaction)."""
    deal_facts_refresh([deal_id])


def review_recorded(activity_id: int) -> None:
    """Account for a new QA review of the activity."""
    review_facts_refresh(activity_id)


def task_created(task_id: int) -> None:
    """Account for a new task (only callbacks have state)."""
    callback_facts_refresh([task_id])


def recompute_contact_first_touch(contact_id: int) -> None:
    FirstTouch.objects.filter(contact_id=contact_id).delete()
    touches = [
        ActivityState(*row)
        for row in Activity.objects.filter(contact_id=contact_id)
        .order_by("started_at", "id")
        .values_list("id", "user_id", "contact_id", "kind", "direction", "status", "duration_s", "wait_s", "started_at")
    ]
    touches = [t for t in touches if t.is_touch]
    if touches:
        first = touches[0].started_at
        FirstTouch.objects.bulk_create(
            FirstTouch(activity_id=t.id, contact_id=contact_id, user_id=t.user_id, at=t.started_at)
            for t in touches
            if t.started_at == first
        )


def recompute_contact_responses(contact_id: int) -> None:
    """Recompute the first responses of one contact's deals from its activities."""
    attempts = reply_attempts([contact_id])[contact_id]
    for deal_id, created_at, *response in DealFact.objects.filter(contact_id=contact_id).values_list(
        "deal_id", "created_at", "response_id", "response_at"
    ):
        first = first_response(attempts, created_at)
        if tuple(response) != first:
            DealFact.objects.filter(deal_id=deal_id).update(response_id=first[0], response_at=first[1])


def activity_changed(before: ActivityState, activity: Activity) -> None:
    """Account for a change of an existing activity: `before` is its snapshot taken before the change."""
    after = snapshot(activity)
    if before == after:
        return
    if _rests_on_nothing_else(before, after):  # e.g. a ringing call that was answered: a few statements
        taken_back = [upsert_statement(before.user_id, before.started_at, before, -1)]
        if before.is_inbound_to_answer:
            taken_back.append(("DELETE FROM analytics_replyfact WHERE activity_id = %s", [before.id]))
        state_activity.execute(taken_back + state_activity.statements(after))
        return
    _add_to_day(before, -1)
    _add_to_day(after, 1)
    ReplyFact.objects.filter(activity_id=after.id).delete()
    FirstTouch.objects.filter(activity_id=after.id).delete()
    for contact_id in {before.contact_id, after.contact_id}:
        if contact_id is not None:
            recompute_contact_replies(contact_id)
            recompute_contact_responses(contact_id)
            recompute_contact_first_touch(contact_id)
    if after.is_inbound_to_answer and after.contact_id is None:
        _insert_reply_fact(after)
    deal_facts_refresh(d for d in (before.deal_id, after.deal_id) if d is not None)
    review_facts_refresh(after.id)
    for state in (before, after):
        callback_facts_refresh_client(state.user_id, state.contact_id)


def _rests_on_nothing_else(before: ActivityState, after: ActivityState) -> bool:
    """Whether the state keeps nothing about `before` but its day counts and its own reply fact: it was no
    reply attempt (so no reply, response, first touch or callback points at it), its user, time and kind
    (reviews) stay, and its contact and deal stay or were none (a call from a new number given its lead)."""
    kept = all(getattr(before, f) == getattr(after, f) for f in ("user_id", "started_at", "kind"))
    contact_kept = before.contact_id in (None, after.contact_id)
    deal_kept = before.deal_id in (None, after.deal_id)
    return not before.is_reply_attempt and kept and contact_kept and deal_kept


def _add_to_day(state: ActivityState, sign: int) -> None:
    add_activity(state.user_id, state.started_at, state, sign)


def _insert_reply_fact(state: ActivityState) -> None:
    state_activity.execute([state_activity.reply_fact_insert(state)])


def recompute_contact_replies(contact_id: int) -> None:
    """Rebuild the reply facts of one contact from its activities."""
    ReplyFact.objects.filter(contact_id=contact_id).delete()
    rows = [
        ActivityState(*row)
        for row in Activity.objects.filter(contact_id=contact_id)
        .order_by("started_at", "id")
        .values_list("id", "user_id", "contact_id", "kind", "direction", "status", "duration_s", "wait_s", "started_at")
    ]
    facts = []
    for index, row in enumerate(rows):
        if not row.is_inbound_to_answer:
            continue
        reply = next((r for r in rows[index + 1 :] if r.started_at > row.started_at and r.is_reply_attempt), None)
        facts.append(
            ReplyFact(
                activity_id=row.id,
                user_id=row.user_id,
                contact_id=contact_id,
                missed_call=row.kind == "call",
                at=row.started_at,
                reply_id=reply.id if reply else None,
                reply_at=reply.started_at if reply else None,
            )
        )
    ReplyFact.objects.bulk_create(facts)


# --------------------------------------------------------------------------- bulk


def refresh_after_bulk_write() -> None:
    """Rebuild the whole state from the raw tables (after a bulk import, inside its transaction)."""
    rebuild()


_REPLY_ATTEMPT_SQL = terms.reply_attempt_sql("b")
_INBOUND_SQL = "a.direction = 'in' AND ((a.kind = 'call' AND a.status = 'missed') OR a.kind IN ('message', 'email'))"


def rebuild() -> None:
    rebuild_activity_state()
    DealFact.objects.all().delete()
    CallbackFact.objects.all().delete()
    rebuild_deal_facts()
    rebuild_callback_facts()
    rebuild_review_facts()
    state_money.rebuild_money_days()


STATE_TABLES = tuple(model._meta.db_table for model in STATE_MODELS)


# Each state table's index on the moment a report's period selects its rows by: a tidy rewrites the table in
# that order (CLUSTER), so a period's rows lie together on disk, as rows recorded day after day do.
PERIOD_INDEXES = {
    "analytics_userday": "userday_day",
    "analytics_moneyday": "moneyday_day",
    "analytics_replyfact": "replyfact_at",
    "analytics_firsttouch": "firsttouch_at",
    "analytics_dealfact": "dealfact_created",
    "analytics_callbackfact": "callbackfact_due",
    "analytics_reviewfact": "reviewfact_call",
    "analytics_reviewscore": "reviewscore_call",
}


def tidy_after_rebuild() -> None:
    """On PostgreSQL, after a rebuild, kept or rolled back (`analytics verify`), and outside any transaction:
    rewrite each state table compactly in the order of its period index (CLUSTER: a rebuild leaves as many
    dead rows as live ones, and the live ones in the order of the raw records' ids), then VACUUM ANALYZE
    them: the report's index-only scans need the visibility map, and the planner fresh statistics. Locks
    each table while it is rewritten (seconds at 10 million activities)."""
    if connection.vendor != "postgresql" or not connection.get_autocommit():
        return
    with connection.cursor() as cursor:
        for table in STATE_TABLES:
            cursor.execute(f"CLUSTER {table} USING {PERIOD_INDEXES[table]}")
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(STATE_TABLES)}")


def rebuild_activity_state() -> None:
    """The activity tables: daily rollups, reply facts, first touches."""
    ReplyFact.objects.all().delete()
    FirstTouch.objects.all().delete()
    _rebuild_first_touches_sql()
    rebuild_days()
    _rebuild_replies_sql()


_TOUCH_SQL = terms.touch_sql("a")


def _rebuild_first_touches_sql() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO analytics_firsttouch (activity_id, contact_id, user_id, at) "
            "SELECT a.id, a.contact_id, a.user_id, a.started_at FROM activities_activity a JOIN "
            f"(SELECT a.contact_id, MIN(a.started_at) AS first FROM activities_activity a WHERE {_TOUCH_SQL} "
            "AND a.contact_id IS NOT NULL GROUP BY a.contact_id) f "
            f"ON f.contact_id = a.contact_id AND a.started_at = f.first WHERE {_TOUCH_SQL}"
        )


def _rebuild_replies_sql() -> None:
    if connection.vendor == "postgresql":
        sql = (
            "INSERT INTO analytics_replyfact (activity_id, user_id, contact_id, missed_call, at, reply_id, reply_at) "
            "SELECT a.id, a.user_id, a.contact_id, a.kind = 'call', a.started_at, r.id, r.started_at "
            "FROM activities_activity a LEFT JOIN LATERAL (SELECT b.id, b.started_at FROM activities_activity b "
            f"WHERE b.contact_id = a.contact_id AND b.started_at > a.started_at AND {_REPLY_ATTEMPT_SQL} "
            f"ORDER BY b.started_at, b.id LIMIT 1) r ON true WHERE {_INBOUND_SQL}"
        )
    else:
        first = (
            "(SELECT b.{col} FROM activities_activity b WHERE b.contact_id = a.contact_id "
            f"AND b.started_at > a.started_at AND {_REPLY_ATTEMPT_SQL} ORDER BY b.started_at, b.id LIMIT 1)"
        )
        sql = (
            "INSERT INTO analytics_replyfact (activity_id, user_id, contact_id, missed_call, at, reply_id, reply_at) "
            f"SELECT a.id, a.user_id, a.contact_id, a.kind = 'call', a.started_at, {first.format(col='id')}, "
            f"{first.format(col='started_at')} FROM activities_activity a WHERE {_INBOUND_SQL}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)


# --------------------------------------------------------------------------- reading


def last_record_at() -> dt.datetime | None:
    """The latest moment that creates a record (metrics.md, as_of): past it, the state is the current state."""
    columns = (
        ("activities_activity", "started_at"),
        ("deals_deal", "created_at"),
        ("deals_stagechange", "at"),
        ("followups_task", "created_at"),
        ("billing_invoice", "issued_at"),
        ("billing_payment", "paid_at"),
        ("quality_qareview", "at"),
    )
    latest = ", ".join(f"(SELECT MAX({column}) FROM {table})" for table, column in columns)  # each an index lookup
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {latest}")
        moments = [db_instant(value) for value in cursor.fetchone() if value is not None]
    return max(moments) if moments else None


def fast_path_applies(tz_key: str, as_of: dt.datetime) -> bool:
    """The state answers a report cut in the department zone when as_of is at or after every record."""
    if tz_key != settings.TIME_ZONE:
        return False
    last = last_record_at()
    return last is None or as_of >= last
