"""The single compute path: metric values of any group of owners, funnel and sources, from one Facts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from decimal import MAX_PREC, Decimal, Inexact, localcontext
from fractions import Fraction
from typing import Any

from . import values
from .facts import DayRow, Facts, LeadItem, SpendItem
from .registry import PLAN_METRICS, Metric, group_metrics
from .rollups import ROLLUPS
from .summary import VALUES as SUMMARY_VALUES
from .summary import Partial, quality_value

Owners = Collection[int | None] | None  # None: every record (the whole department)


class Engine:
    """Selects each metric's items once, partitioned by owner; groups pool their members' items."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.metrics: list[Metric] = group_metrics(facts.criteria)
        self._selected: dict[str, list[Any]] = {}
        self._by_owner: dict[str, dict[int | None, list[Any]]] = {}
        self._days_by_owner: dict[int | None, list[DayRow]] = defaultdict(list)
        for row in facts.activity_days or ():
            self._days_by_owner[row.owner].append(row)
        self._pooled: dict[tuple[int | None, ...] | None, Partial] = {}
        self._plans: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)  # ("user" | "team", id)
        for plan_row in facts.plans:
            if plan_row["user_id"] is not None:
                self._plans[("user", plan_row["user_id"])].append(plan_row)
            if plan_row["team_id"] is not None:
                self._plans[("team", plan_row["team_id"])].append(plan_row)
        for metric in self.metrics:
            if facts.summary is not None and (
                metric.key in ROLLUPS or metric.key in SUMMARY_VALUES or metric.source == "reviews"
            ):
                continue  # the fast path keeps values, not items
            selected = [item for item in facts.items(metric.source) if metric.where(item)]
            parts: dict[int | None, list[Any]] = defaultdict(list)
            for item in selected:
                parts[item.owner].append(item)
            self._selected[metric.key] = selected
            self._by_owner[metric.key] = parts

    def items(self, metric: Metric, owners: Owners) -> list[Any]:
        """The records that make up `metric` for the group, in record order (not on the fast path)."""
        if metric.key not in self._selected:
            raise ValueError(f"{metric.key}: the fast path has no records; collect with fast=False")
        selected = self._selected[metric.key]
        if owners is None:
            return list(selected)
        allowed = set(owners)
        return [item for item in selected if item.owner in allowed]

    def _group_items(self, metric: Metric, owners: Owners) -> list[Any]:
        if owners is None:
            return self._selected[metric.key]
        parts = self._by_owner[metric.key]
        pooled: list[Any] = []
        for owner in owners:
            pooled.extend(parts.get(owner, ()))
        return pooled

    def values(self, owners: Owners) -> dict[str, Any]:
        if self.facts.partial:
            raise ValueError("these facts hold some sources' items only: collect without `sources` for values")
        if self.facts.summary is not None:
            return self._fast_values(owners)
        return {metric.key: metric.aggregate(self._group_items(metric, owners)) for metric in self.metrics}

    def _fast_values(self, owners: Owners) -> dict[str, Any]:
        days, dates = self._group_days(owners)
        pooled = self._pool(owners)
        result: dict[str, Any] = {}
        for metric in self.metrics:
            key = metric.key
            if (rollup := ROLLUPS.get(key)) is not None:
                result[key] = rollup(days, dates)
            elif (value := SUMMARY_VALUES.get(key)) is not None:
                result[key] = value(pooled)
            elif metric.source == "reviews":
                result[key] = quality_value(key, pooled)
            else:
                result[key] = metric.aggregate(self._group_items(metric, owners))
        return result

    def _pool(self, owners: Owners) -> Partial:
        assert self.facts.summary is not None
        key = None if owners is None else tuple(sorted(set(owners), key=lambda o: -1 if o is None else o))
        if key not in self._pooled:
            self._pooled[key] = self.facts.summary.pool(None if owners is None else set(owners))
        return self._pooled[key]

    def _group_days(self, owners: Owners) -> tuple[list[DayRow], int]:
        """The group's activity counters and its days with reply attempts (a bit mask)."""
        masks = self.facts.attempt_days
        if owners is None:
            dates = 0
            for mask in masks.values():
                dates |= mask
            return self.facts.activity_days or [], dates
        pooled: list[DayRow] = []
        dates = 0
        for owner in owners:
            pooled.extend(self._days_by_owner.get(owner, ()))
            dates |= masks.get(owner, 0)
        return pooled, dates

    def plan(self, group_values: dict[str, Any], *, user_id: int | None = None, team_id: int | None = None) -> dict:
        """plan.<metric> for a user or a team with a target in at least one month of P (metrics.md, "Plan")."""
        targets: dict[str, Decimal] = {}
        rows = list(self._plans.get(("user", user_id), ())) if user_id is not None else []
        if team_id is not None:
            seen = {id(row) for row in rows}
            rows += [row for row in self._plans.get(("team", team_id), ()) if id(row) not in seen]
        for row in rows:
            targets[row["metric"]] = targets.get(row["metric"], Decimal(0)) + row["target"]
        block: dict[str, Any] = {}
        for metric in PLAN_METRICS:
            if metric not in targets:
                continue
            fact = group_values[metric]
            exact_fact = values.money_fraction(fact) if isinstance(fact, str) else Fraction(fact)
            block[metric] = {
                "target": values.money(targets[metric]),
                "fact": fact,
                "rate": values.share(values.ratio(exact_fact, Fraction(targets[metric]))),
            }
        return block

    def funnel(self, owners: Owners) -> dict[str, list[dict[str, Any]]]:
        if self.facts.summary is not None:
            return self._fast_funnel(owners)
        leads = self._leads(owners)
        result: dict[str, list[dict[str, Any]]] = {}
        for pipeline in self.facts.pipelines:
            opens = [s for s in self.facts.stages if s["pipeline_id"] == pipeline["id"] and s["kind"] == "open"]
            reaches = [lead.reach for lead in leads if lead.pipeline_id == pipeline["id"]]
            steps = [
                {"stage": stage["ref"], "reached": sum(1 for r in reaches if r >= number)}
                for number, stage in enumerate(opens, start=1)
            ]
            steps.append({"stage": "won", "reached": sum(1 for r in reaches if r == len(opens) + 1)})
            result[pipeline["ref"]] = steps
        return result

    def _fast_funnel(self, owners: Owners) -> dict[str, list[dict[str, Any]]]:
        assert self.facts.summary is not None
        allowed = None if owners is None else set(owners)
        reaches: dict[int, Counter[int]] = defaultdict(Counter)
        for (owner, pipeline_id, reach), n in self.facts.summary.funnel_counts.items():
            if allowed is None or owner in allowed:
                reaches[pipeline_id][reach] += n
        result: dict[str, list[dict[str, Any]]] = {}
        for pipeline in self.facts.pipelines:
            opens = [s for s in self.facts.stages if s["pipeline_id"] == pipeline["id"] and s["kind"] == "open"]
            counts = reaches.get(pipeline["id"], Counter())
            steps = [
                {"stage": stage["ref"], "reached": sum(n for r, n in counts.items() if r >= number)}
                for number, stage in enumerate(opens, start=1)
            ]
            steps.append({"stage": "won", "reached": sum(n for r, n in counts.items() if r == len(opens) + 1)})
            result[pipeline["ref"]] = steps
        return result

    def sources(self, owners: Owners) -> dict[str, dict[str, Any]]:
        if self.facts.summary is not None:
            return self._fast_sources(owners)
        leads = self._leads(owners)
        spend = self.facts.spend
        names = sorted({lead.source for lead in leads} | {row.source for row in spend})
        result: dict[str, dict[str, Any]] = {}
        for source in names:
            source_leads = [lead for lead in leads if lead.source == source]
            source_spend = [row for row in spend if row.source == source]
            block = source_values(source_leads, source_spend)
            campaigns = sorted({lead.campaign for lead in source_leads} | {row.campaign for row in source_spend})
            block["campaigns"] = {
                campaign: source_values(
                    [lead for lead in source_leads if lead.campaign == campaign],
                    [row for row in source_spend if row.campaign == campaign],
                )
                for campaign in campaigns
            }
            result[source] = block
        return result

    def _fast_sources(self, owners: Owners) -> dict[str, dict[str, Any]]:
        assert self.facts.summary is not None
        allowed = None if owners is None else set(owners)
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # leads, won, won cents
        for group in self.facts.summary.lead_groups:
            if allowed is None or group.owner in allowed:
                found = counts[(group.source, group.campaign)]
                found[0] += group.leads
                found[1] += group.won
                found[2] += group.won_cents
        customers: dict[tuple[str, str], set[int]] = defaultdict(set)
        for found_customers in self.facts.summary.customers:
            if allowed is None or found_customers.owner in allowed:
                customers[(found_customers.source, found_customers.campaign)].update(found_customers.contact_ids)
        spent = spend_by_campaign(self.facts.spend)
        campaigns: dict[str, list[str]] = defaultdict(list)
        for source, campaign in sorted(set(counts) | set(spent)):
            campaigns[source].append(campaign)

        def block(keys: list[tuple[str, str]]) -> dict[str, Any]:
            leads, won, won_cents = (sum(counts[key][index] for key in keys if key in counts) for index in range(3))
            buyers = set().union(*(customers.get(key, ()) for key in keys))
            return _source_block(leads, won, won_cents, len(buyers), sum((spent.get(key, 0) for key in keys), 0))

        result: dict[str, dict[str, Any]] = {}
        for source, names in campaigns.items():
            result[source] = block([(source, campaign) for campaign in names])
            result[source]["campaigns"] = {campaign: block([(source, campaign)]) for campaign in names}
        return result

    def _leads(self, owners: Owners) -> list[LeadItem]:
        if owners is None:
            return self.facts.leads
        allowed = set(owners)
        return [lead for lead in self.facts.leads if lead.owner in allowed]


def source_values(leads: list[LeadItem], spend: list[SpendItem]) -> dict[str, Any]:
    """End-to-end metrics of one source or campaign."""
    won = [lead for lead in leads if lead.currently_won]
    revenue = sum((Fraction(lead.amount) for lead in won), Fraction(0))
    spent = sum((Fraction(row.amount) for row in spend), Fraction(0))
    return _source_block(len(leads), len(won), revenue * 100, len({lead.contact_id for lead in won}), spent)


def spend_by_campaign(spend: list[SpendItem]) -> dict[tuple[str, str], Fraction]:
    """The exact ad spend per (source, campaign): summed as decimals, with any rounding trapped."""
    totals: dict[tuple[str, str], Decimal] = {}
    with localcontext() as context:
        context.prec = MAX_PREC
        context.traps[Inexact] = True
        for row in spend:
            key = (row.source, row.campaign)
            totals[key] = totals.get(key, Decimal(0)) + row.amount
    return {key: Fraction(total) for key, total in totals.items()}


def _source_block(
    leads: int, won: int, revenue_cents: Fraction | int, customers: int, spent: Fraction | int
) -> dict[str, Any]:
    revenue = Fraction(revenue_cents) / 100
    return {
        "leads": leads,
        "won": won,
        "revenue": values.money(revenue),
        "customers": customers,
        "spend": values.money(Fraction(spent)),
        "cpl": values.money(values.ratio(spent, leads)),
        "cac": values.money(values.ratio(spent, customers)),
        "romi": values.share(values.ratio(revenue - spent, spent)),
    }
