"""Sales, funnel and end-to-end at their edges: reopened deals, ties, as_of cuts, repeat customers, rounding."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from salescope.analytics.records import metric_records
from salescope.analytics.report import build_report
from salescope.billing.services import invoice_issue, payment_record
from salescope.deals.models import Product
from salescope.deals.services import ItemLine
from salescope.marketing.services import ad_spend_record

from .conftest import at

MARCH: dict[str, Any] = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}
SALES = (
    "deals_won",
    "deals_lost",
    "win_rate",
    "revenue_won",
    "avg_check",
    "sales_cycle_median_s",
    "sales_cycle_mean_s",
    "touches_per_won_deal_mean",
    "touches_per_won_deal_median",
    "won_multi_product",
    "upsell_rate",
    "repeat_deals_won",
    "repeat_revenue_won",
    "lost_by_stage",
    "lost_by_reason",
    "invoiced",
    "paid",
    "cohort_won",
    "cohort_conversion",
)


def report(as_of: str = "2026-04-05 12:00"):
    return build_report(**MARCH, as_of=at(as_of))


def pick(group: dict, *keys: str) -> dict:
    return {key: group[key] for key in keys}


@pytest.fixture
def sales(dept):
    d = dept
    u1, u2 = d.u1, d.u2
    c = {ref: d.contact(ref) for ref in ("c3", "c5", "c6", "c7", "c8", "c9")}
    c["c1"] = d.contact("c1", source="yandex", campaign="spring")
    c["c2"] = d.contact("c2", source="yandex")
    c["c4"] = d.contact("c4", source="seo")
    tv, radio = Product.objects.create(ref="tv", name="TV"), Product.objects.create(ref="radio", name="Radio")
    items = [ItemLine(tv, 1, Decimal("60.00")), ItemLine(radio, 2, Decimal("20.00"))]
    s1 = d.deal("s1", c["c1"], u1, "2026-03-02 10:00", amount="100.00", items=items)
    d.act("note", "2026-02-20 10:00", u1, deal=s1)
    d.act("meeting", "2026-02-25 10:00", u2, deal=s1)  # before creation: the deal's start
    d.act("call", "2026-03-03 10:00", u1, deal=s1, direction="out", status="missed")  # not a touch
    d.act("call", "2026-03-04 10:00", u1, deal=s1, direction="in")
    d.move(s1, "talk", "2026-03-05 10:00")
    d.move(s1, "won", "2026-03-10 10:00")
    d.act("proposal", "2026-03-11 10:00", u1, deal=s1)  # after closing: not counted
    s2 = d.deal("s2", c["c2"], u1, "2026-03-03 10:00", amount="100.01")
    d.move(s2, "won", "2026-03-04 10:00")
    d.move(s2, "talk", "2026-03-06 10:00")  # reopened: open
    old = d.deal("s3old", c["c3"], u2, "2025-12-01 10:00")
    d.move(old, "won", "2025-12-20 10:00")
    s3 = d.deal("s3", c["c3"], u1, "2026-01-10 10:00", amount="300.00", items=[ItemLine(tv, 2, Decimal("150.00"))])
    d.move(s3, "won", "2026-03-15 10:00")
    s4 = d.deal("s4", c["c4"], u1, "2026-03-05 10:00")
    d.move(s4, "talk", "2026-03-06 10:00")
    d.move(s4, "won", "2026-03-10 10:00")
    d.move(s4, "lost", "2026-03-20 10:00", reason="price")
    d.deal("s5", c["c5"], u1, "2026-03-06 10:00", stage=d.stage("lost"))
    s6 = d.deal("s6", c["c6"], u1, "2026-03-07 10:00")
    d.move(s6, "talk", "2026-03-08 10:00")
    d.move(s6, "lost", "2026-03-08 12:00", reason="price")
    s7 = d.deal("s7", c["c7"], u1, "2026-03-08 10:00")
    d.move(s7, "won", "2026-04-02 10:00")
    s8b = d.deal("s8b", c["c8"], u2, "2026-03-01 10:00")
    d.move(s8b, "won", "2026-03-09 10:00")
    s8 = d.deal("s8", c["c8"], u1, "2026-03-09 10:00", amount="0.01")  # s8b closed at this very instant: not repeat
    d.move(s8, "won", "2026-03-31 23:59:59")
    s9 = d.deal("s9", c["c9"], u1, "2026-03-10 10:00")
    d.move(s9, "won", "2026-03-12 10:00")
    d.move(s9, "lost", "2026-03-12 10:00")  # same instant, recorded later: lost, lost at "won"
    invoice = invoice_issue(deal=s1, amount=Decimal("60.00"), issued_at=at("2026-03-10 11:00"), ref="i1")
    payment_record(invoice=invoice, amount=Decimal("60.00"), paid_at=at("2026-04-01 00:00"), ref="p1")
    old_invoice = invoice_issue(deal=old, amount=Decimal("50.00"), issued_at=at("2026-02-28 23:00"), ref="i0")
    payment_record(invoice=old_invoice, amount=Decimal("50.00"), paid_at=at("2026-03-01 00:00"), ref="p0")
    for day, source, campaign, amount in [
        ("2026-03-01", "yandex", "spring", "1000.00"),
        ("2026-03-15", "yandex", "", "500.00"),
        ("2026-02-28", "yandex", "autumn", "70.00"),
        ("2026-03-31", "google", "brand", "200.00"),
        ("2026-04-01", "google", "brand", "999.00"),
    ]:
        ad_spend_record(date=dt.date.fromisoformat(day), source=source, campaign=campaign, amount=Decimal(amount))
    return d


@pytest.mark.django_db
def test_sales_per_user_and_team(sales):
    result = report()
    assert pick(result["users"]["u1"], *SALES) == {
        "deals_won": 3,
        "deals_lost": 4,
        "win_rate": 3 / 7,
        "revenue_won": "400.01",
        "avg_check": "133.34",
        "sales_cycle_median_s": 1951199,
        "sales_cycle_mean_s": 8603999 / 3,
        "touches_per_won_deal_mean": 2 / 3,
        "touches_per_won_deal_median": 0,
        "won_multi_product": 1,
        "upsell_rate": 1 / 3,
        "repeat_deals_won": 1,
        "repeat_revenue_won": "300.00",
        "lost_by_stage": {"": 1, "talk": 1, "won": 2},
        "lost_by_reason": {"": 2, "price": 2},
        "invoiced": "60.00",
        "paid": "0.00",
        "cohort_won": 3,
        "cohort_conversion": 0.375,
    }
    assert pick(result["users"]["u2"], *SALES) == {
        "deals_won": 1,
        "deals_lost": 0,
        "win_rate": 1.0,
        "revenue_won": "100.00",
        "avg_check": "100.00",
        "sales_cycle_median_s": 691200,
        "sales_cycle_mean_s": 691200,
        "touches_per_won_deal_mean": 0,
        "touches_per_won_deal_median": 0,
        "won_multi_product": 0,
        "upsell_rate": 0.0,
        "repeat_deals_won": 0,
        "repeat_revenue_won": "0.00",
        "lost_by_stage": {},
        "lost_by_reason": {},
        "invoiced": "0.00",
        "paid": "50.00",
        "cohort_won": 1,
        "cohort_conversion": 1.0,
    }
    team = {
        "deals_won": 4,
        "deals_lost": 4,
        "win_rate": 0.5,
        "revenue_won": "500.01",
        "avg_check": "125.00",
        "sales_cycle_median_s": 1537199.5,
        "sales_cycle_mean_s": 2323799.75,
        "touches_per_won_deal_mean": 0.5,
        "touches_per_won_deal_median": 0,
        "won_multi_product": 1,
        "upsell_rate": 0.25,
        "repeat_deals_won": 1,
        "repeat_revenue_won": "300.00",
        "lost_by_stage": {"": 1, "talk": 1, "won": 2},
        "lost_by_reason": {"": 2, "price": 2},
        "invoiced": "60.00",
        "paid": "50.00",
        "cohort_won": 4,
        "cohort_conversion": 4 / 9,
    }
    assert pick(result["teams"]["t1"], *SALES) == team
    assert pick(result["department"], *SALES) == team
    assert result["users"]["u3"]["lost_by_stage"] == {} and result["users"]["u3"]["revenue_won"] == "0.00"


@pytest.mark.django_db
def test_as_of_cuts_stage_history(sales):
    user = report(as_of="2026-03-31 23:59:58")["users"]["u1"]
    assert pick(user, "deals_won", "revenue_won", "avg_check", "cohort_won", "cohort_conversion") == {
        "deals_won": 2,
        "revenue_won": "400.00",
        "avg_check": "200.00",
        "cohort_won": 1,
        "cohort_conversion": 0.125,
    }
    # on March 5 the reopened deal s2 is still won
    early = report(as_of="2026-03-05 12:00")
    assert pick(early["users"]["u1"], "deals_won", "deals_lost", "revenue_won") == {
        "deals_won": 1,
        "deals_lost": 0,
        "revenue_won": "100.01",
    }
    records = metric_records(metric="deals_won", **MARCH, as_of=at("2026-03-05 12:00"), user="u1")
    assert [(r["ref"], r["closed_at"], r["amount"]) for r in records] == [("s2", "2026-03-04T10:00:00+03:00", "100.01")]


@pytest.mark.django_db
def test_funnel_counts_skipped_and_reopened_stages(sales):
    assert report()["funnel"] == {
        "p": [{"stage": "new", "reached": 8}, {"stage": "talk", "reached": 8}, {"stage": "won", "reached": 7}]
    }
    assert report(as_of="2026-03-31 23:59:58")["funnel"]["p"][-1] == {"stage": "won", "reached": 5}


@pytest.mark.django_db
def test_sources_and_campaigns(sales):
    def block(leads, won, revenue, customers, spend, cpl, cac, romi):
        return dict(
            leads=leads, won=won, revenue=revenue, customers=customers, spend=spend, cpl=cpl, cac=cac, romi=romi
        )

    nothing = block(6, 3, "200.01", 2, "0.00", "0.00", "0.00", None)
    assert report()["sources"] == {
        "": {**nothing, "campaigns": {"": nothing}},
        "google": {
            **block(0, 0, "0.00", 0, "200.00", None, None, -1.0),
            "campaigns": {"brand": block(0, 0, "0.00", 0, "200.00", None, None, -1.0)},
        },
        "seo": {
            **block(1, 0, "0.00", 0, "0.00", "0.00", None, None),
            "campaigns": {"": block(1, 0, "0.00", 0, "0.00", "0.00", None, None)},
        },
        "yandex": {
            **block(2, 1, "100.00", 1, "1500.00", "750.00", "1500.00", -14 / 15),
            "campaigns": {
                "": block(1, 0, "0.00", 0, "500.00", "500.00", None, -1.0),
                "spring": block(1, 1, "100.00", 1, "1000.00", "1000.00", "1000.00", -0.9),
            },
        },
    }
    # spend dated after the local date of as_of does not exist yet
    early = report(as_of="2026-03-30 23:59")["sources"]
    assert "google" not in early and early["yandex"]["spend"] == "1500.00"


@pytest.mark.django_db
def test_drill_down_matches_every_count_and_sum(sales):
    from salescope.analytics.registry import METRICS

    result = report()
    values = result["teams"]["t1"]
    for metric in METRICS:
        if metric.family not in ("sales", "speed"):
            continue
        records = metric_records(metric=metric.key, **MARCH, as_of=at("2026-04-05 12:00"), team="t1")
        if metric.unit == "count":
            assert len(records) == values[metric.key], metric.key
        if metric.key in ("revenue_won", "repeat_revenue_won", "invoiced", "paid"):
            total = sum(Decimal(r["amount"]) for r in records)
            assert f"{total:.2f}" == values[metric.key], metric.key


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(sales):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            report()
        return len(captured.captured_queries)

    before = queries()
    for n in range(6):
        contact = sales.contact(f"extra{n}")
        deal = sales.deal(f"x{n}", contact, sales.u2, f"2026-03-1{n} 10:00")
        sales.act("call", f"2026-03-1{n} 10:05", sales.u2, contact=contact, deal=deal, direction="out")
        sales.move(deal, "won", f"2026-03-2{n} 10:00")
    assert queries() == before <= 24


@pytest.mark.django_db
def test_loading_some_sources_gives_their_items_and_no_values(sales):
    from salescope.analytics.compute import Engine
    from salescope.analytics.facts import collect
    from salescope.analytics.period import make_period
    from salescope.analytics.registry import metric_by_key

    period = make_period(**MARCH, as_of=at("2026-04-05 12:00"))
    whole = Engine(collect(period, fast=False))
    some = Engine(collect(period, fast=False, sources={"closed_deals", "callbacks"}))
    for key in ("deals_won", "deals_lost"):
        metric = metric_by_key(key, whole.facts.criteria)
        assert some.items(metric, None) == whole.items(metric, None) != []
    assert some.items(metric_by_key("calls_out", whole.facts.criteria), None) == []
    with pytest.raises(ValueError, match="some sources"):
        some.values(None)
