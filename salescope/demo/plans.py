"""Monthly plans and daily ad spend of the demo department."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .catalog import MANAGERS, SOURCES, TEAMS
from .clock import WorkClock
from .recorder import Record, money

PLAN_STRETCH = Decimal("1.15")  # targets sit a little above what an average manager achieves


def months_between(first: dt.date, last: dt.date) -> list[str]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _round(value: Decimal, step: int) -> Decimal:
    return max(Decimal(step), (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def plan_records(bundle: dict[str, Any], clock: WorkClock, first_day: dt.date, last_day: dt.date) -> list[Record]:
    """Per-manager and per-team targets for revenue_won, deals_won and calls_out (teams also get `paid`).

    A target is the department's average monthly result per manager, stretched a little, so that the
    strong and the weak managers show up as over and under plan.
    """
    rng = clock.rng
    amounts = {deal["id"]: Decimal(deal["amount"]) for deal in bundle["deals"]}
    won = [change["deal"] for change in bundle["stage_changes"] if change["to_stage"] == "won"]
    calls_out = sum(
        1 for a in bundle["activities"] if a["kind"] == "call" and a.get("direction") == "out" and a.get("user")
    )
    manager_months = Decimal(len(MANAGERS)) * Decimal((last_day - first_day).days + 1) / Decimal("30.4")
    average = {
        "revenue_won": sum((amounts[d] for d in won), Decimal(0)) / manager_months,
        "deals_won": Decimal(len(won)) / manager_months,
        "calls_out": Decimal(calls_out) / manager_months,
    }
    steps = {"revenue_won": 10_000, "deals_won": 1, "calls_out": 10}
    records: list[Record] = []
    first_month = first_day if first_day.day == 1 else (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    for month in months_between(first_month, last_day):
        team_totals: dict[str, dict[str, Decimal]] = {ref: {} for ref, _ in TEAMS}
        for manager in MANAGERS:
            for metric, mean in average.items():
                wobble = Decimal(rng.randint(92, 108)) / 100
                target = _round(mean * PLAN_STRETCH * wobble, steps[metric])
                records.append({"month": month, "metric": metric, "target": money(target), "user": manager.ref})
                totals = team_totals[manager.team]
                totals[metric] = totals.get(metric, Decimal(0)) + target
        for team, totals in team_totals.items():
            totals["paid"] = _round(totals.get("revenue_won", Decimal(0)) * Decimal("0.9"), 10_000)
            for metric, target in totals.items():
                records.append({"month": month, "metric": metric, "target": money(target), "team": team})
    return records


def ad_spend_records(rng: random.Random, first_day: dt.date, last_day: dt.date, *, scale: float) -> list[Record]:
    """Daily spend per paid source and campaign (less at weekends), scaled to the demo's size."""
    records: list[Record] = []
    day = first_day
    factor = Decimal(str(round(scale, 4)))
    while day <= last_day:
        weekend = Decimal("0.6") if day.weekday() >= 5 else Decimal(1)
        for source in SOURCES:
            for campaign in source.campaigns:
                noise = Decimal(rng.randint(80, 120)) / 100
                amount = source.daily_spend * factor * weekend * noise
                records.append({"date": day.isoformat(), "source": source.name, "campaign": campaign,
                                "amount": money(amount)})  # fmt: skip
        day += dt.timedelta(days=1)
    return records
