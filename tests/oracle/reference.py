"""An independent, deliberately plain reading of /work/shared/spec/metrics.md.

Computes the whole report JSON straight from bundle records (the dicts of bundle.md) with simple loops over
lists. It shares no code with salescope.analytics on purpose: the property tests compare the two readings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

UTC = dt.UTC
DAY = dt.timedelta(days=1)
REPLY_WINDOW = dt.timedelta(hours=24)
CALLBACK_GRACE = dt.timedelta(seconds=1800)
SLA = dt.timedelta(seconds=900)
DEFAULT_CRITERIA = ("politeness", "product_knowledge", "script", "objections")
PLAN_METRICS = ("revenue_won", "deals_won", "calls_out", "paid")

Owns = Callable[[str | None], bool]


# ---------------------------------------------------------------------------------------------- parsing


def parse_instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"time without offset: {text!r}")
    return value.astimezone(UTC)


def money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def money_ratio(numerator: Decimal, denominator: int | Decimal) -> str | None:
    if denominator == 0:
        return None
    return money(Decimal(numerator) / Decimal(denominator))


def ratio(numerator: float | int | Decimal, denominator: float | int | Decimal) -> float | None:
    if denominator == 0:
        return None
    return float(Decimal(numerator) / Decimal(denominator))


def mean(values: list[Any]) -> float | None:
    if not values:
        return None
    return sum(values) / len(values)


def median(values: list[Any]) -> float | int | None:
    if not values:
        return None
    ordered = sorted(values)
    n = len(ordered)
    if n % 2 == 1:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def percentile_90(values: list[Any]) -> float | int | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = (9 * len(ordered) + 9) // 10  # ceil(9n / 10) in integers
    return ordered[rank - 1]


def seconds(delta: dt.timedelta) -> int | float:
    total = delta.total_seconds()
    return int(total) if total == int(total) else total


def day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The first instant whose local date in `zone` is `day` or later (handles missing and doubled midnights)."""
    naive = dt.datetime.combine(day, dt.time(0, 0))
    low = (naive - dt.timedelta(hours=30)).replace(tzinfo=UTC)
    high = (naive + dt.timedelta(hours=30)).replace(tzinfo=UTC)
    # invariant: local date of `low` < day <= local date of `high`
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) // 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).date() >= day:
            high = middle
        else:
            low = middle
    return high


def local_date(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    return instant.astimezone(zone).date()


# ---------------------------------------------------------------------------------------------- records


@dataclass
class Activity:
    id: str
    kind: str
    started: dt.datetime
    user: str | None
    contact: str | None
    deal: str | None
    direction: str | None
    status: str | None
    duration: int | None
    wait: int | None

    @property
    def is_call(self) -> bool:
        return self.kind == "call"

    @property
    def is_touch(self) -> bool:
        if self.kind == "call":
            return self.status == "answered"
        if self.kind in ("email", "message"):
            return self.direction == "out"
        return self.kind in ("proposal", "meeting")

    @property
    def is_reply_attempt(self) -> bool:
        return self.is_touch or (self.kind == "call" and self.direction == "out")


@dataclass
class StageChange:
    to_stage: str
    at: dt.datetime
    order: int


@dataclass
class Deal:
    id: str
    contact: str
    owner: str
    pipeline: str
    created: dt.datetime
    amount: Decimal
    products: set[str]
    loss_reason: str
    history: list[StageChange] = field(default_factory=list)  # changes at or before as_of, in order
    current_kind: str = ""
    closed_at: dt.datetime | None = None
    start: dt.datetime | None = None
    lost_at_stage: str = ""
    reach: int = 0

    @property
    def won(self) -> bool:
        return self.current_kind == "won"

    @property
    def lost(self) -> bool:
        return self.current_kind == "lost"


@dataclass
class Task:
    id: str
    kind: str
    user: str
    created: dt.datetime
    due: dt.datetime
    client: str | None


@dataclass
class Review:
    call: Activity
    scores: dict[str, int]
    max: int


@dataclass
class Spend:
    date: dt.date
    source: str
    campaign: str
    amount: Decimal


# ---------------------------------------------------------------------------------------------- the report


class Report:
    def __init__(
        self,
        records: dict[str, list[dict[str, Any]]],
        *,
        date_from: dt.date,
        date_to: dt.date,
        as_of: dt.datetime,
        timezone: str,
    ) -> None:
        self.records = records
        self.date_from = date_from
        self.date_to = date_to
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        self.as_of = as_of.astimezone(UTC)
        self.p_start = day_start(date_from, self.zone)
        self.p_end = day_start(date_to + DAY, self.zone)
        self._load()

    def in_p(self, instant: dt.datetime) -> bool:
        return self.p_start <= instant < self.p_end

    # ---------------------------------------------------------------------------------------- loading

    def _load(self) -> None:
        r = self.records
        self.stage_kind: dict[str, str] = {}
        self.pipelines: list[dict[str, Any]] = list(r.get("pipelines", []))
        for pipeline in self.pipelines:
            for stage in pipeline["stages"]:
                self.stage_kind[stage["id"]] = stage["kind"]
        self.contacts = {c["id"]: c for c in r.get("contacts", [])}
        self.users = [u["id"] for u in r.get("users", [])]
        self.teams = [t["id"] for t in r.get("teams", [])]
        self.user_team = {u["id"]: u.get("team") for u in r.get("users", [])}

        self.activities: list[Activity] = []
        self.all_activities: dict[str, Activity] = {}
        for a in r.get("activities", []):
            activity = Activity(
                id=a["id"],
                kind=a["kind"],
                started=parse_instant(a["started_at"]),
                user=a.get("user"),
                contact=a.get("contact"),
                deal=a.get("deal"),
                direction=a.get("direction"),
                status=a.get("status"),
                duration=a.get("duration_s"),
                wait=a.get("wait_s"),
            )
            self.all_activities[activity.id] = activity
            if activity.started <= self.as_of:
                self.activities.append(activity)

        self.deals: list[Deal] = []
        for d in r.get("deals", []):
            created = parse_instant(d["created_at"])
            if created > self.as_of:
                continue
            self.deals.append(
                Deal(
                    id=d["id"],
                    contact=d["contact"],
                    owner=d["owner"],
                    pipeline=d["pipeline"],
                    created=created,
                    amount=Decimal(d["amount"]),
                    products={item["product"] for item in d.get("items") or []},
                    loss_reason=d.get("loss_reason") or "",
                )
            )
        self.deal_by_id = {deal.id: deal for deal in self.deals}
        all_deal_contact = {d["id"]: d["contact"] for d in r.get("deals", [])}
        all_deal_owner = {d["id"]: d["owner"] for d in r.get("deals", [])}

        for order, change in enumerate(r.get("stage_changes", [])):
            at = parse_instant(change["at"])
            deal = self.deal_by_id.get(change["deal"])
            if deal is None or at > self.as_of:
                continue
            deal.history.append(StageChange(to_stage=change["to_stage"], at=at, order=order))
        for deal in self.deals:
            self._settle_deal(deal)

        self.tasks: list[Task] = []
        for t in r.get("tasks", []):
            created = parse_instant(t["created_at"])
            if created > self.as_of:
                continue
            client = t.get("contact")
            if not client and t.get("deal"):
                client = all_deal_contact[t["deal"]]
            self.tasks.append(
                Task(
                    id=t["id"],
                    kind=t["kind"],
                    user=t["user"],
                    created=created,
                    due=parse_instant(t["due_at"]),
                    client=client or None,
                )
            )

        # invoices / payments: (owner, amount, instant), only existing ones
        invoice_deal = {i["id"]: i["deal"] for i in r.get("invoices", [])}
        self.invoices: list[tuple[str, Decimal, dt.datetime]] = []
        for i in r.get("invoices", []):
            issued = parse_instant(i["issued_at"])
            if issued <= self.as_of:
                self.invoices.append((all_deal_owner[i["deal"]], Decimal(i["amount"]), issued))
        self.payments: list[tuple[str, Decimal, dt.datetime]] = []
        for p in r.get("payments", []):
            paid = parse_instant(p["paid_at"])
            if paid <= self.as_of:
                owner = all_deal_owner[invoice_deal[p["invoice"]]]
                self.payments.append((owner, Decimal(p["amount"]), paid))

        self.reviews: list[Review] = []
        for q in r.get("qa_reviews", []):
            call = self.all_activities[q["activity"]]
            if parse_instant(q["at"]) <= self.as_of and call.started <= self.as_of:
                self.reviews.append(Review(call=call, scores=dict(q["scores"]), max=int(q["max"])))

        as_of_day = local_date(self.as_of, self.zone)
        self.spends: list[Spend] = []
        for s in r.get("ad_spend", []):
            day = dt.date.fromisoformat(s["date"])
            if day <= as_of_day:
                self.spends.append(
                    Spend(date=day, source=s["source"], campaign=s.get("campaign") or "", amount=Decimal(s["amount"]))
                )

    def _settle_deal(self, deal: Deal) -> None:
        deal.history.sort(key=lambda change: (change.at, change.order))
        if deal.history:
            last = deal.history[-1]
            deal.current_kind = self.stage_kind[last.to_stage]
            if deal.current_kind in ("won", "lost"):
                deal.closed_at = last.at
            if deal.current_kind == "lost":
                for change in deal.history[:-1]:
                    if self.stage_kind[change.to_stage] in ("open", "won"):
                        deal.lost_at_stage = change.to_stage
        start = deal.created
        for activity in self.activities:
            if activity.deal == deal.id and activity.kind != "note" and activity.started < start:
                start = activity.started
        deal.start = start
        numbers = self.stage_numbers(deal.pipeline)
        for change in deal.history:
            deal.reach = max(deal.reach, numbers.get(change.to_stage, 0))

    def stage_numbers(self, pipeline_id: str) -> dict[str, int]:
        pipeline = next(p for p in self.pipelines if p["id"] == pipeline_id)
        numbers: dict[str, int] = {}
        k = 0
        for stage in pipeline["stages"]:
            if stage["kind"] == "open":
                k += 1
                numbers[stage["id"]] = k
        for stage in pipeline["stages"]:
            if stage["kind"] == "won":
                numbers[stage["id"]] = k + 1
        return numbers

    # ---------------------------------------------------------------------------------------- helpers

    def first_reply(self, contact: str | None, after: dt.datetime, inclusive: bool) -> Activity | None:
        """The earliest existing reply attempt to `contact` starting after (or at, if inclusive) `after`."""
        if not contact:
            return None
        best: Activity | None = None
        for activity in self.activities:
            if activity.contact != contact or not activity.is_reply_attempt:
                continue
            if activity.started < after or (activity.started == after and not inclusive):
                continue
            if best is None or activity.started < best.started:
                best = activity
        return best

    def criteria(self) -> list[str]:
        names = list(DEFAULT_CRITERIA)
        for review in self.reviews:
            for name in review.scores:
                if name not in names:
                    names.append(name)
        return names

    # ---------------------------------------------------------------------------------------- metric blocks

    def productivity(self, owns: Owns) -> dict[str, Any]:
        mine = [a for a in self.activities if self.in_p(a.started) and owns(a.user)]
        calls = [a for a in mine if a.is_call]
        answered = [a for a in calls if a.status == "answered"]
        calls_in = [a for a in calls if a.direction == "in"]
        missed_in = [a for a in calls_in if a.status == "missed"]
        talk = sum(a.duration or 0 for a in answered)
        waits = [a.wait for a in calls_in if a.status == "answered" and a.wait is not None]

        return_delays = []
        for call in missed_in:
            reply = self.first_reply(call.contact, call.started, inclusive=False)
            if reply is not None and reply.started - call.started <= REPLY_WINDOW:
                return_delays.append(seconds(reply.started - call.started))

        inbound = [a for a in mine if a.kind in ("message", "email") and a.direction == "in"]
        reply_delays = []
        for message in inbound:
            reply = self.first_reply(message.contact, message.started, inclusive=False)
            if reply is not None and reply.started - message.started <= REPLY_WINDOW:
                reply_delays.append(seconds(reply.started - message.started))

        attempts = [a for a in mine if a.is_reply_attempt]
        active_days = len({local_date(a.started, self.zone) for a in attempts})

        return {
            "calls_in": len(calls_in),
            "calls_in_missed": len(missed_in),
            "calls_out": len([a for a in calls if a.direction == "out"]),
            "calls_out_answered": len([a for a in answered if a.direction == "out"]),
            "talk_time_s": talk,
            "avg_call_duration_s": ratio(talk, len(answered)),
            "answer_wait_avg_s": mean(waits),
            "emails_out": len([a for a in mine if a.kind == "email" and a.direction == "out"]),
            "messages_out": len([a for a in mine if a.kind == "message" and a.direction == "out"]),
            "meetings": len([a for a in mine if a.kind == "meeting"]),
            "proposals_sent": len([a for a in mine if a.kind == "proposal"]),
            "new_contacts_reached": self.new_contacts_reached(owns),
            "missed_calls_returned": len(return_delays),
            "missed_call_return_rate": ratio(len(return_delays), len(missed_in)),
            "missed_call_return_median_s": median(return_delays),
            "inbound_messages": len(inbound),
            "inbound_messages_replied": len(reply_delays),
            "message_reply_median_s": median(reply_delays),
            "active_days": active_days,
            "activities_per_active_day": ratio(len(attempts), active_days),
        }

    def new_contacts_reached(self, owns: Owns) -> int:
        count = 0
        for contact in self.contacts:
            touches = [a for a in self.activities if a.contact == contact and a.is_touch]
            if not touches:
                continue
            first = min(a.started for a in touches)
            if not self.in_p(first):
                continue
            if any(owns(a.user) for a in touches if a.started == first):
                count += 1
        return count

    def speed(self, owns: Owns) -> dict[str, Any]:
        leads = [d for d in self.deals if self.in_p(d.created) and owns(d.owner)]
        delays = []
        for deal in leads:
            reply = self.first_reply(deal.contact, deal.created, inclusive=True)
            if reply is not None:
                delays.append(reply.started - deal.created)
        return {
            "leads_new": len(leads),
            "first_response_median_s": median([seconds(d) for d in delays]),
            "first_response_p90_s": percentile_90([seconds(d) for d in delays]),
            "leads_without_response": len(leads) - len(delays),
            "first_response_sla_rate": ratio(len([d for d in delays if d <= SLA]), len(leads)),
        }

    def callback_state(self, task: Task) -> str:
        window_end = task.due + CALLBACK_GRACE
        calls = [
            a
            for a in self.activities
            if a.kind == "call"
            and a.direction == "out"
            and a.user == task.user
            and task.client is not None
            and a.contact == task.client
        ]
        if any(task.created <= a.started <= window_end for a in calls):
            return "on_time"
        if self.as_of < window_end:
            return "pending"
        if any(a.started > window_end and a.started >= task.created for a in calls):
            return "late"
        return "missed"

    def callbacks(self, owns: Owns) -> dict[str, Any]:
        due = [
            t for t in self.tasks if t.kind == "callback" and self.in_p(t.due) and t.due <= self.as_of and owns(t.user)
        ]
        states = [self.callback_state(t) for t in due]
        on_time = states.count("on_time")
        pending = states.count("pending")
        return {
            "callbacks_due": len(due),
            "callbacks_on_time": on_time,
            "callbacks_pending": pending,
            "callbacks_late": states.count("late"),
            "callbacks_missed": states.count("missed"),
            "callback_on_time_rate": ratio(on_time, len(due) - pending),
        }

    def sales(self, owns: Owns) -> dict[str, Any]:
        mine = [d for d in self.deals if owns(d.owner)]
        won = [d for d in mine if d.won and d.closed_at is not None and self.in_p(d.closed_at)]
        lost = [d for d in mine if d.lost and d.closed_at is not None and self.in_p(d.closed_at)]
        revenue = sum((d.amount for d in won), Decimal(0))

        cycles = []
        touches = []
        for deal in won:
            assert deal.closed_at is not None and deal.start is not None
            cycles.append(seconds(deal.closed_at - deal.start))
            linked = [a for a in self.activities if a.deal == deal.id and a.is_touch and a.started <= deal.closed_at]
            touches.append(len(linked))

        multi = [d for d in won if len(d.products) >= 2]
        repeat = []
        for deal in won:
            for other in self.deals:
                if (
                    other.id != deal.id
                    and other.contact == deal.contact
                    and other.won
                    and other.closed_at is not None
                    and other.closed_at < deal.created
                ):
                    repeat.append(deal)
                    break

        lost_by_stage: dict[str, int] = {}
        lost_by_reason: dict[str, int] = {}
        for deal in lost:
            lost_by_stage[deal.lost_at_stage] = lost_by_stage.get(deal.lost_at_stage, 0) + 1
            lost_by_reason[deal.loss_reason] = lost_by_reason.get(deal.loss_reason, 0) + 1

        leads = [d for d in mine if self.in_p(d.created)]
        cohort_won = [d for d in leads if d.won]
        return {
            "deals_won": len(won),
            "deals_lost": len(lost),
            "win_rate": ratio(len(won), len(won) + len(lost)),
            "revenue_won": money(revenue),
            "avg_check": money_ratio(revenue, len(won)),
            "sales_cycle_median_s": median(cycles),
            "sales_cycle_mean_s": mean(cycles),
            "touches_per_won_deal_mean": mean(touches),
            "touches_per_won_deal_median": median(touches),
            "won_multi_product": len(multi),
            "upsell_rate": ratio(len(multi), len(won)),
            "repeat_deals_won": len(repeat),
            "repeat_revenue_won": money(sum((d.amount for d in repeat), Decimal(0))),
            "lost_by_stage": lost_by_stage,
            "lost_by_reason": lost_by_reason,
            "invoiced": money(
                sum((amt for owner, amt, at in self.invoices if owns(owner) and self.in_p(at)), Decimal(0))
            ),
            "paid": money(sum((amt for owner, amt, at in self.payments if owns(owner) and self.in_p(at)), Decimal(0))),
            "cohort_won": len(cohort_won),
            "cohort_conversion": ratio(len(cohort_won), len(leads)),
        }

    def quality(self, owns: Owns) -> dict[str, Any]:
        mine = [r for r in self.reviews if self.in_p(r.call.started) and owns(r.call.user)]
        out: dict[str, Any] = {
            "qa_reviews": len(mine),
            "qa_score_avg": mean([Decimal(sum(r.scores.values())) / (r.max * len(r.scores)) for r in mine]),
        }
        if out["qa_score_avg"] is not None:
            out["qa_score_avg"] = float(out["qa_score_avg"])
        for name in self.criteria():
            values = [Decimal(r.scores[name]) / r.max for r in mine if name in r.scores]
            average = mean(values)
            out[f"qa_{name}_avg"] = None if average is None else float(average)
        return out

    def metrics(self, owns: Owns) -> dict[str, Any]:
        result: dict[str, Any] = {}
        result.update(self.productivity(owns))
        result.update(self.speed(owns))
        result.update(self.callbacks(owns))
        result.update(self.sales(owns))
        result.update(self.quality(owns))
        result["plan"] = {}
        return result

    # ---------------------------------------------------------------------------------------- plans

    def whole_months(self) -> list[str] | None:
        if self.date_from.day != 1 or (self.date_to + DAY).day != 1 or self.date_from > self.date_to:
            return None
        months = []
        day = self.date_from
        while day <= self.date_to:
            months.append(f"{day.year:04d}-{day.month:02d}")
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return months

    def plan_block(self, who_key: str, who: str, facts: dict[str, Any]) -> dict[str, Any]:
        months = self.whole_months()
        if months is None:
            return {}
        block: dict[str, Any] = {}
        for metric in PLAN_METRICS:
            rows = [
                p
                for p in self.records.get("plans", [])
                if p.get(who_key) == who and p["metric"] == metric and p["month"] in months
            ]
            if not rows:
                continue
            target = sum((Decimal(p["target"]) for p in rows), Decimal(0))
            fact = facts[metric]
            block[metric] = {
                "target": money(target),
                "fact": fact,
                "rate": ratio(Decimal(fact), target),
            }
        return block

    # ---------------------------------------------------------------------------------------- funnel / sources

    def funnel(self) -> dict[str, list[dict[str, Any]]]:
        result = {}
        for pipeline in self.pipelines:
            deals = [d for d in self.deals if d.pipeline == pipeline["id"] and self.in_p(d.created)]
            numbers = self.stage_numbers(pipeline["id"])
            rows = []
            k = 0
            for stage in pipeline["stages"]:
                if stage["kind"] == "open":
                    k += 1
                    rows.append(
                        {"stage": stage["id"], "reached": len([d for d in deals if d.reach >= numbers[stage["id"]]])}
                    )
            rows.append({"stage": "won", "reached": len([d for d in deals if d.reach == k + 1])})
            result[pipeline["id"]] = rows
        return result

    def end_to_end(self, leads: list[Deal], spends: list[Spend]) -> dict[str, Any]:
        won = [d for d in leads if d.won]
        revenue = sum((d.amount for d in won), Decimal(0))
        spend = sum((s.amount for s in spends), Decimal(0))
        customers = len({d.contact for d in won})
        return {
            "leads": len(leads),
            "won": len(won),
            "revenue": money(revenue),
            "customers": customers,
            "spend": money(spend),
            "cpl": money_ratio(spend, len(leads)),
            "cac": money_ratio(spend, customers),
            "romi": ratio(revenue - spend, spend),
        }

    def sources(self) -> dict[str, Any]:
        leads = [d for d in self.deals if self.in_p(d.created)]
        spends = [s for s in self.spends if self.date_from <= s.date <= self.date_to]

        def source_of(deal: Deal) -> tuple[str, str]:
            contact = self.contacts[deal.contact]
            return contact.get("source") or "", contact.get("campaign") or ""

        names: list[str] = []
        for deal in leads:
            names.append(source_of(deal)[0])
        for s in spends:
            names.append(s.source)
        result: dict[str, Any] = {}
        for name in sorted(set(names)):
            my_leads = [d for d in leads if source_of(d)[0] == name]
            my_spends = [s for s in spends if s.source == name]
            block = self.end_to_end(my_leads, my_spends)
            campaigns = {source_of(d)[1] for d in my_leads} | {s.campaign for s in my_spends}
            block["campaigns"] = {
                c: self.end_to_end(
                    [d for d in my_leads if source_of(d)[1] == c], [s for s in my_spends if s.campaign == c]
                )
                for c in sorted(campaigns)
            }
            result[name] = block
        return result

    # ---------------------------------------------------------------------------------------- whole report

    def build(self) -> dict[str, Any]:
        users: dict[str, Any] = {}
        for user in self.users:
            block = self.metrics(owned_by({user}))
            block["plan"] = self.plan_block("user", user, block)
            users[user] = block
        teams: dict[str, Any] = {}
        for team in self.teams:
            members = {u for u in self.users if self.user_team.get(u) == team}
            block = self.metrics(owned_by(members))
            block["plan"] = self.plan_block("team", team, block)
            teams[team] = block
        return {
            "period": {
                "from": self.date_from.isoformat(),
                "to": self.date_to.isoformat(),
                "timezone": self.timezone,
                "as_of": self.as_of.astimezone(self.zone).isoformat(),
            },
            "users": users,
            "teams": teams,
            "department": self.metrics(lambda uid: True),
            "funnel": self.funnel(),
            "sources": self.sources(),
        }


def owned_by(members: set[str]) -> Owns:
    def owns(user: str | None) -> bool:
        return user in members

    return owns


def build_reference_report(
    records: dict[str, list[dict[str, Any]]],
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.datetime,
    timezone: str,
) -> dict[str, Any]:
    """The report JSON of metrics.md for `records` (bundle dicts); `timezone` is the report's zone."""
    return Report(records, date_from=date_from, date_to=date_to, as_of=as_of, timezone=timezone).build()


# ---------------------------------------------------------------------------------------------- comparison


def diff_reports(expected: Any, actual: Any, path: str = "$", limit: int = 50) -> list[str]:
    """Human-readable differences between two report JSON values (floats compared with a tiny tolerance)."""
    out: list[str] = []
    _diff(expected, actual, path, out, limit)
    return out


def _diff(expected: Any, actual: Any, path: str, out: list[str], limit: int) -> None:
    if len(out) >= limit:
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected:
            if key not in actual:
                out.append(f"{path}.{key}: missing in actual (expected {expected[key]!r})")
            else:
                _diff(expected[key], actual[key], f"{path}.{key}", out, limit)
        for key in actual:
            if key not in expected:
                out.append(f"{path}.{key}: unexpected key (actual {actual[key]!r})")
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: expected {expected!r}, actual {actual!r}")
            return
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _diff(e, a, f"{path}[{index}]", out, limit)
        return
    if _numbers(expected, actual):
        if math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-9):
            return
    elif type(expected) is type(actual) and expected == actual:
        return
    out.append(f"{path}: expected {expected!r}, actual {actual!r}")


def _numbers(a: Any, b: Any) -> bool:
    return all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))
