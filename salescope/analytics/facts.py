"""Per-record facts of one report: each record of a metric is decided here once.

Every metric value is an aggregate over one of these item lists (see registry.py),
and the drill-down lists the same items, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import queries, state_days, state_deals, state_reviews, summary, terms
from .period import Period
from .summary import Summary
from .values import seconds_between

DAY_S = 24 * 3600
SLA_S = 900
CALLBACK_GRACE = dt.timedelta(seconds=1800)


def is_touch(row: dict[str, Any]) -> bool:
    return terms.is_touch(row["kind"], row["direction"], row["status"])


def is_reply_attempt(row: dict[str, Any]) -> bool:
    return terms.is_reply_attempt(row["kind"], row["direction"], row["status"])


@dataclass(frozen=True, slots=True)
class ActivityItem:
    owner: int | None
    ref: str
    kind: str
    direction: str
    status: str
    duration_s: int | None
    wait_s: int | None
    contact: str | None
    started_at: dt.datetime
    local_date: dt.date


@dataclass(frozen=True, slots=True)
class ReplyItem:
    """A missed inbound call or an inbound message, with its first reply attempt (if any)."""

    owner: int | None
    ref: str
    at: dt.datetime
    contact: str | None
    reply_ref: str | None
    reply_at: dt.datetime | None
    delay_s: Fraction | int | None

    @property
    def replied(self) -> bool:
        return self.delay_s is not None and self.delay_s <= DAY_S


@dataclass(frozen=True, slots=True)
class FirstTouchItem:
    owner: int | None
    contact: str
    ref: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class LeadItem:
    owner: int
    ref: str
    created_at: dt.datetime
    contact: str
    contact_id: int
    pipeline_id: int
    pipeline: str
    amount: Decimal
    source: str
    campaign: str
    response_ref: str | None
    response_at: dt.datetime | None
    delay_s: Fraction | int | None
    currently_won: bool
    reach: int

    @property
    def responded(self) -> bool:
        return self.delay_s is not None

    @property
    def within_sla(self) -> bool:
        return self.delay_s is not None and self.delay_s <= SLA_S


@dataclass(frozen=True, slots=True)
class CallbackItem:
    owner: int
    ref: str
    created_at: dt.datetime
    due_at: dt.datetime
    client_id: int | None
    call_ref: str | None
    call_at: dt.datetime | None
    status: str  # on_time, pending, late, missed


@dataclass(frozen=True, slots=True)
class ClosedDealItem:
    owner: int
    ref: str
    outcome: str  # won or lost
    closed_at: dt.datetime
    created_at: dt.datetime
    amount: Decimal
    start: dt.datetime
    cycle_s: Fraction | int
    touches: int
    products: int
    repeat_of: str | None
    lost_at_stage: str
    loss_reason: str

    @property
    def won(self) -> bool:
        return self.outcome == "won"

    @property
    def lost(self) -> bool:
        return self.outcome == "lost"


@dataclass(frozen=True, slots=True)
class MoneyItem:
    owner: int
    ref: str
    at: dt.datetime
    amount: Decimal
    deal: str


@dataclass(frozen=True, slots=True)
class ReviewItem:
    owner: int | None
    call: str
    reviewer: str
    at: dt.datetime
    scores: dict[str, int]
    max: int

    @property
    def score(self) -> Fraction:
        return Fraction(sum(self.scores.values()), self.max * len(self.scores))

    def criterion(self, name: str) -> Fraction | None:
        value = self.scores.get(name)
        return None if value is None else Fraction(value, self.max)


@dataclass(frozen=True, slots=True)
class SpendItem:
    date: dt.date
    source: str
    campaign: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class DayRow:
    """One user's activity counters summed over the days of P (state_days.UserDay)."""

    owner: int | None
    calls_in: int
    calls_in_missed: int
    calls_out: int
    calls_out_answered: int
    calls_answered: int
    talk_time: int
    wait_n: int
    wait_sum: int
    emails_out: int
    messages_out: int
    meetings: int
    proposals: int
    attempts: int


@dataclass
class History:
    """One deal's stage history up to as_of, read against its pipeline's stages."""

    stage_ids: list[int] = field(default_factory=list)
    times: list[dt.datetime] = field(default_factory=list)


@dataclass
class Facts:
    period: Period
    users: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    pipelines: list[dict[str, Any]]
    stages: list[dict[str, Any]]
    activities: list[ActivityItem]
    reply_attempts: list[ActivityItem]
    missed_calls: list[ReplyItem]
    inbound_messages: list[ReplyItem]
    first_touches: list[FirstTouchItem]
    leads: list[LeadItem]
    callbacks: list[CallbackItem]
    closed_deals: list[ClosedDealItem]
    invoices: list[MoneyItem]
    payments: list[MoneyItem]
    reviews: list[ReviewItem]
    criteria: list[str]
    spend: list[SpendItem]
    plans: list[dict[str, Any]]
    activity_days: list[DayRow] | None = None  # the fast path: activity metrics from daily rollups
    attempt_days: dict[int | None, int] = field(default_factory=dict)  # user → days with reply attempts (bit mask)
    summary: Summary | None = None  # the fast path: every other metric from per-owner partials (summary.py)
    partial: bool = False  # only some sources' items were loaded (collect(sources=…)): no values

    def items(self, source: str) -> list[Any]:
        items: list[Any] = getattr(self, source)
        return items


FIXED_CRITERIA = ("politeness", "product_knowledge", "script", "objections")


def collect(period: Period, *, fast: bool | None = None, sources: Collection[str] | None = None) -> Facts:
    """Load the rows a report needs and decide every per-record fact once.

    `fast` (default: when state.fast_path_applies) reads the incremental state instead of the raw rows:
    daily activity rollups and per-owner partials (summary.py). Such Facts carry values only (no items),
    so drill-down, series and anything else that lists records pass fast=False.
    `sources` (raw path only) loads the items of these sources alone (e.g. {"callbacks"} for one list);
    such Facts are `partial` and give no metric values.
    """
    from . import state

    if fast is None:
        fast = sources is None and state.fast_path_applies(period.tz.key, period.as_of)
    reads: dict[str, Callable[[], Any]] = {
        "users": queries.users,
        "teams": queries.teams,
        "pipelines": queries.pipelines,
        "spend": lambda: queries.ad_spend(period),
        "plans": lambda: queries.plans(period.whole_months) if period.whole_months else [],
    }
    loaded = None
    if fast:  # every read of the report together, on two connections (summary._Fetch)
        reads["days"] = lambda: state_days.rollup(period.date_from, period.date_to)
        reads["criteria"] = state_reviews.all_criteria
        loaded = summary.load(period, also=reads, heavy={"days"})
        read = loaded.also
        stages = loaded.stages  # read once, with the rest
        scored = read["criteria"]
    else:
        read = {name: reading() for name, reading in reads.items()}
        stages = queries.stages()
        scored = queries.scored_criteria(period)

    def wanted(*names: str) -> bool:
        return sources is None or any(name in sources for name in names)

    common: dict[str, Any] = {
        "period": period,
        "users": read["users"],
        "teams": read["teams"],
        "pipelines": read["pipelines"],
        "stages": stages,
        "reviews": _reviews(period, fast=fast) if wanted("reviews") else [],
        "criteria": [*FIXED_CRITERIA, *sorted(scored - set(FIXED_CRITERIA))],
        "spend": [SpendItem(r["date"], r["source"], r["campaign"], r["amount"]) for r in read["spend"]],
        "plans": read["plans"],
    }
    if loaded is not None:
        sums, attempt_days = loaded.also["days"]
        return Facts(
            **common,
            activities=[],
            reply_attempts=[],
            missed_calls=[],
            inbound_messages=[],
            first_touches=[],
            leads=[],
            callbacks=[],
            closed_deals=[],
            invoices=[],
            payments=[],
            activity_days=[DayRow(*row) for row in sums],
            attempt_days=attempt_days,
            summary=loaded,
        )
    window: list[dict[str, Any]] = []
    if wanted("activities", "reply_attempts", "missed_calls", "inbound_messages", "first_touches"):
        replies = wanted("missed_calls", "inbound_messages")  # replies may come up to 24 h after P
        until = period.end + dt.timedelta(seconds=DAY_S if replies else 0)
        window = queries.activities_from_period_start(period, until)
    in_period = [row for row in window if period.contains(row["started_at"])]
    missed, inbound = _replies(window, period) if wanted("missed_calls", "inbound_messages") else ([], [])
    histories, deals = _histories(period) if wanted("leads", "closed_deals") else ({}, {})
    stage_by_id = {s["id"]: s for s in stages}
    numbers = stage_numbers(stages)
    return Facts(
        **common,
        activities=[_activity(row, period) for row in in_period] if wanted("activities") else [],
        reply_attempts=[_activity(row, period) for row in in_period if is_reply_attempt(row)]
        if wanted("reply_attempts")
        else [],
        missed_calls=missed,
        inbound_messages=inbound,
        first_touches=_first_touches(window, period) if wanted("first_touches") else [],
        leads=_leads(period, histories, stage_by_id, numbers, {p["id"]: p["ref"] for p in common["pipelines"]})
        if wanted("leads")
        else [],
        callbacks=[_callback(row, period) for row in queries.callbacks(period)] if wanted("callbacks") else [],
        closed_deals=_closed_deals(period, histories, deals, stage_by_id) if wanted("closed_deals") else [],
        invoices=[
            MoneyItem(r["owner_id"], r["ref"], r["issued_at"], r["amount"], r["deal_ref"])
            for r in (queries.invoices(period) if wanted("invoices") else [])
        ],
        payments=[
            MoneyItem(r["owner_id"], r["ref"], r["paid_at"], r["amount"], r["deal_ref"])
            for r in (queries.payments(period) if wanted("payments") else [])
        ],
        partial=sources is not None,
    )


def _reviews(period: Period, *, fast: bool) -> list[ReviewItem]:
    if fast:  # summary.py pools them
        return []
    return [
        ReviewItem(r["owner_id"], r["call_ref"], r["reviewer_ref"], r["at"], dict(r["scores"]), r["max"])
        for r in queries.reviews(period)
    ]


def _activity(row: dict[str, Any], period: Period) -> ActivityItem:
    return ActivityItem(
        owner=row["user_id"],
        ref=row["ref"],
        kind=row["kind"],
        direction=row["direction"],
        status=row["status"],
        duration_s=row["duration_s"],
        wait_s=row["wait_s"],
        contact=row["contact__ref"],
        started_at=row["started_at"],
        local_date=period.local_date(row["started_at"]),
    )


def _replies(window: list[dict[str, Any]], period: Period) -> tuple[list[ReplyItem], list[ReplyItem]]:
    """Missed inbound calls and inbound messages in P, each with its first reply attempt after it."""
    attempts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in window:
        if row["contact_id"] is not None and is_reply_attempt(row):
            attempts[row["contact_id"]].append(row)  # window is ordered by (started_at, id)
    times = {contact: [r["started_at"] for r in rows] for contact, rows in attempts.items()}
    missed: list[ReplyItem] = []
    inbound: list[ReplyItem] = []
    for row in window:
        if not period.contains(row["started_at"]) or row["direction"] != "in":
            continue
        if row["kind"] == "call" and row["status"] == "missed":
            target = missed
        elif row["kind"] in ("message", "email"):
            target = inbound
        else:
            continue
        reply = None
        contact = row["contact_id"]
        if contact is not None:
            index = bisect_right(times.get(contact, []), row["started_at"])
            if index < len(times.get(contact, [])):
                reply = attempts[contact][index]
        delay = seconds_between(row["started_at"], reply["started_at"]) if reply else None
        if delay is not None and delay > DAY_S:
            reply, delay = None, None
        target.append(
            ReplyItem(
                owner=row["user_id"],
                ref=row["ref"],
                at=row["started_at"],
                contact=row["contact__ref"],
                reply_ref=reply["ref"] if reply else None,
                reply_at=reply["started_at"] if reply else None,
                delay_s=delay,
            )
        )
    return missed, inbound


def _first_touches(window: list[dict[str, Any]], period: Period) -> list[FirstTouchItem]:
    firsts = queries.first_touch_times(period)
    return [
        FirstTouchItem(row["user_id"], row["contact__ref"], row["ref"], row["started_at"])
        for row in window
        if row["contact_id"] in firsts and row["started_at"] == firsts[row["contact_id"]] and is_touch(row)
    ]


def _histories(period: Period) -> tuple[dict[int, History], dict[int, dict[str, Any]]]:
    histories: dict[int, History] = defaultdict(History)
    for change in queries.stage_changes(period):
        history = histories[change["deal_id"]]
        history.stage_ids.append(change["stage_id"])
        history.times.append(change["at"])
    deals = {row["id"]: row for row in queries.history_deals(period)}
    return dict(histories), deals


def _current_kind(history: History | None, stage_by_id: dict[int, dict[str, Any]]) -> str:
    if history is None or not history.stage_ids:
        return ""
    return str(stage_by_id[history.stage_ids[-1]]["kind"])


def _leads(
    period: Period,
    histories: dict[int, History],
    stage_by_id: dict[int, dict[str, Any]],
    numbers: dict[int, int],
    pipeline_refs: dict[int, str],
) -> list[LeadItem]:
    items = []
    for row in queries.leads(period):
        response_at = row["response_at"]
        history = histories.get(row["id"])
        items.append(
            LeadItem(
                owner=row["owner_id"],
                ref=row["ref"],
                created_at=row["created_at"],
                contact=row["contact_ref"],
                contact_id=row["contact_id"],
                pipeline_id=row["pipeline_id"],
                pipeline=pipeline_refs.get(row["pipeline_id"], ""),
                amount=row["amount"],
                source=row["source"] or "",
                campaign=row["campaign"] or "",
                response_ref=row["response_ref"],
                response_at=response_at,
                delay_s=seconds_between(row["created_at"], response_at) if response_at is not None else None,
                currently_won=_current_kind(history, stage_by_id) == "won",
                reach=max((numbers[stage_id] for stage_id in history.stage_ids), default=0) if history else 0,
            )
        )
    return items


def _callback(row: dict[str, Any], period: Period) -> CallbackItem:
    deadline = row["due_at"] + CALLBACK_GRACE
    call_at = row["call_at"]
    if call_at is not None and call_at <= deadline:
        status = "on_time"
    elif period.as_of < deadline:
        status = "pending"
    elif call_at is not None:
        status = "late"
    else:
        status = "missed"
    return CallbackItem(
        owner=row["user_id"],
        ref=row["ref"],
        created_at=row["created_at"],
        due_at=row["due_at"],
        client_id=row["client_id"],
        call_ref=row["call_ref"],
        call_at=call_at,
        status=status,
    )


def stage_numbers(stages: list[dict[str, Any]]) -> dict[int, int]:
    """Stage id → funnel number (state_deals.stage_numbers) of stage rows ordered by pipeline and position."""
    return state_deals.stage_numbers((s["id"], s["kind"], s["pipeline_id"]) for s in stages)


def _closed_deals(
    period: Period,
    histories: dict[int, History],
    deals: dict[int, dict[str, Any]],
    stage_by_id: dict[int, dict[str, Any]],
) -> list[ClosedDealItem]:
    won_at: dict[int, list[tuple[dt.datetime, int, str]]] = defaultdict(list)  # contact → (closed_at, deal id, ref)
    closed: list[tuple[dict[str, Any], str, dt.datetime, History]] = []
    for deal_id, history in histories.items():
        deal = deals.get(deal_id)
        kind = _current_kind(history, stage_by_id)
        if deal is None or kind not in ("won", "lost"):
            continue
        closed_at = history.times[-1]
        if kind == "won":
            won_at[deal["contact_id"]].append((closed_at, deal_id, deal["ref"]))
        if period.contains(closed_at):
            closed.append((deal, kind, closed_at, history))
    linked: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in queries.linked_activities(period):
        linked[row["deal_id"]].append(row)
    products: dict[int, set[int]] = defaultdict(set)
    for row in queries.deal_products(period):
        products[row["deal_id"]].add(row["product_id"])
    items = []
    for deal, kind, closed_at, history in sorted(closed, key=lambda c: (c[2], c[0]["id"])):
        activities = linked.get(deal["id"], [])
        start = min([deal["created_at"], *(a["started_at"] for a in activities)])
        repeat = [
            ref
            for other_closed, other_id, ref in sorted(won_at.get(deal["contact_id"], []))
            if other_id != deal["id"] and other_closed < deal["created_at"]
        ]
        items.append(
            ClosedDealItem(
                owner=deal["owner_id"],
                ref=deal["ref"],
                outcome=kind,
                closed_at=closed_at,
                created_at=deal["created_at"],
                amount=deal["amount"],
                start=start,
                cycle_s=seconds_between(start, closed_at),
                touches=sum(1 for a in activities if is_touch(a) and a["started_at"] <= closed_at),
                products=len(products.get(deal["id"], set())),
                repeat_of=repeat[0] if repeat else None,
                lost_at_stage=_lost_at_stage(history, stage_by_id) if kind == "lost" else "",
                loss_reason=deal["loss_reason"] or "",
            )
        )
    return items


def _lost_at_stage(history: History, stage_by_id: dict[int, dict[str, Any]]) -> str:
    for stage_id in reversed(history.stage_ids[:-1]):
        stage = stage_by_id[stage_id]
        if stage["kind"] in ("open", "won"):
            return str(stage["ref"])
    return ""
