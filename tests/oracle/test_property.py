"""The product's analytics engine against the independent reference, over generated and hand-made bundles."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.oracle.examples import TIMEZONE, mini_bundle
from tests.oracle.generate import GeneratedBundle, generate_bundle
from tests.oracle.harness import compare_bundle, default_queries, failure_text

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(min_value=0, max_value=2**31), size=st.integers(min_value=1, max_value=3))
def test_engine_matches_reference_on_random_bundles(seed: int, size: int) -> None:
    bundle = generate_bundle(seed, size=size)
    mismatches = compare_bundle(bundle, default_queries(bundle))
    assert not mismatches, failure_text(mismatches)


@pytest.mark.parametrize("seed", [7, 2026, 31337])
def test_engine_matches_reference_on_larger_bundles(seed: int) -> None:
    """Bigger bundles: per-department lists long enough (n >= 10) for the 90th percentile rank to matter."""
    bundle = generate_bundle(seed, size=8)
    mismatches = compare_bundle(bundle, default_queries(bundle))
    assert not mismatches, failure_text(mismatches)


def test_engine_matches_reference_in_another_report_zone() -> None:
    """tz given explicitly: periods cut in it (ad-spend dates stay department dates, compared as dates)."""
    bundle = generate_bundle(4242, size=3)
    queries = [(f, t, a, "UTC") for f, t in bundle.periods[:2] for a in bundle.as_ofs[:2]]
    mismatches = compare_bundle(bundle, queries)
    assert not mismatches, failure_text(mismatches)


def test_engine_matches_hand_computed_bundle() -> None:
    bundle = GeneratedBundle(seed=-1, timezone=TIMEZONE, base_month=dt.date(2026, 3, 1), records=mini_bundle())
    queries: list[tuple[dt.date, dt.date, dt.datetime, str | None]] = [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.datetime(2026, 3, 31, 23, 20, tzinfo=MSK), None),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.datetime(2026, 3, 4, 10, 15, tzinfo=MSK), None),
        (dt.date(2026, 3, 19), dt.date(2026, 3, 19), dt.datetime(2026, 3, 31, 23, 20, tzinfo=MSK), "UTC"),
        (dt.date(2026, 2, 1), dt.date(2026, 4, 30), dt.datetime(2026, 5, 1, tzinfo=MSK), None),
    ]
    mismatches = compare_bundle(bundle, queries)
    assert not mismatches, failure_text(mismatches)


@pytest.mark.parametrize("seed", [3, 5])
def test_department_time_zone_follows_the_instance_setting(seed: int) -> None:
    """With TIME_ZONE overridden to the bundle's zone, a report without tz is cut in that zone."""
    bundle = generate_bundle(seed, size=1)
    assert bundle.timezone != "Europe/Moscow"
    mismatches = compare_bundle(bundle, default_queries(bundle)[:2])
    assert not mismatches, failure_text(mismatches)


def test_engine_matches_reference_on_a_bundle_without_activity() -> None:
    """Only people and pipelines: every metric key present, as zeros and nulls; funnel rows of zeros."""
    records = {kind: rows for kind, rows in mini_bundle().items() if kind in ("teams", "users", "pipelines")}
    bundle = GeneratedBundle(seed=-2, timezone=TIMEZONE, base_month=dt.date(2026, 3, 1), records=records)
    as_of = dt.datetime(2026, 4, 1, tzinfo=MSK)
    mismatches = compare_bundle(bundle, [(dt.date(2026, 3, 1), dt.date(2026, 3, 31), as_of, None)])
    assert not mismatches, failure_text(mismatches)


def test_money_divisions_round_half_up() -> None:
    """avg_check 1400.01 / 2 = 700.005 -> "700.01"; cpl 50.01 / 2 leads = 25.005 -> "25.01"."""
    records = mini_bundle()
    records["deals"][0]["amount"] = "1000.01"
    records["deals"][0].pop("items")
    records["ad_spend"][1]["amount"] = "50.01"
    bundle = GeneratedBundle(seed=-3, timezone=TIMEZONE, base_month=dt.date(2026, 3, 1), records=records)
    as_of = dt.datetime(2026, 3, 31, 23, 20, tzinfo=MSK)
    queries: list[tuple[dt.date, dt.date, dt.datetime, str | None]] = [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), as_of, None),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 9), as_of, None),
    ]
    mismatches = compare_bundle(bundle, queries)
    assert not mismatches, failure_text(mismatches)


def test_sums_beyond_the_column_precision() -> None:
    """Amounts at the 12-digit limit: their sums (13 digits) must stay exact."""
    records = mini_bundle()
    for deal in records["deals"]:
        deal["amount"] = "999999999999.99"
        deal.pop("items", None)
    records["invoices"][0]["amount"] = "999999999999.99"
    for payment in records["payments"]:
        payment["amount"] = "999999999999.99"
    records["payments"][1]["paid_at"] = "2026-03-07T10:00:00+03:00"
    records["ad_spend"][0]["amount"] = "999999999999.99"
    records["ad_spend"][1]["amount"] = "999999999999.98"
    records["plans"][0]["target"] = "999999999999.99"
    records["plans"].append({"month": "2026-04", "metric": "revenue_won", "target": "999999999999.99", "user": "u1"})
    bundle = GeneratedBundle(seed=-4, timezone=TIMEZONE, base_month=dt.date(2026, 3, 1), records=records)
    queries: list[tuple[dt.date, dt.date, dt.datetime, str | None]] = [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.datetime(2026, 3, 31, 23, 20, tzinfo=MSK), None),
        (dt.date(2026, 3, 1), dt.date(2026, 4, 30), dt.datetime(2026, 5, 1, tzinfo=MSK), None),
    ]
    mismatches = compare_bundle(bundle, queries)
    assert not mismatches, failure_text(mismatches)
