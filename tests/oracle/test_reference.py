"""Self-tests of the reference implementation against values computed by hand (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.oracle.examples import TIMEZONE, mini_bundle
from tests.oracle.generate import generate_bundle
from tests.oracle.reference import (
    build_reference_report,
    day_start,
    diff_reports,
    median,
    money_ratio,
    percentile_90,
)

MSK = ZoneInfo("Europe/Moscow")
AS_OF = dt.datetime(2026, 3, 31, 23, 20, tzinfo=MSK)
CRITERIA_NULLS = {
    "qa_politeness_avg": None,
    "qa_product_knowledge_avg": None,
    "qa_script_avg": None,
    "qa_objections_avg": None,
    "qa_empathy_avg": None,
}


def empty_block() -> dict[str, Any]:
    return {
        "calls_in": 0, "calls_in_missed": 0, "calls_out": 0, "calls_out_answered": 0, "talk_time_s": 0,
        "avg_call_duration_s": None, "answer_wait_avg_s": None, "emails_out": 0, "messages_out": 0, "meetings": 0,
        "proposals_sent": 0, "new_contacts_reached": 0, "missed_calls_returned": 0, "missed_call_return_rate": None,
        "missed_call_return_median_s": None, "inbound_messages": 0, "inbound_messages_replied": 0,
        "message_reply_median_s": None, "active_days": 0, "activities_per_active_day": None,
        "leads_new": 0, "first_response_median_s": None, "first_response_p90_s": None, "leads_without_response": 0,
        "first_response_sla_rate": None,
        "callbacks_due": 0, "callbacks_on_time": 0, "callbacks_pending": 0, "callbacks_late": 0,
        "callbacks_missed": 0, "callback_on_time_rate": None,
        "deals_won": 0, "deals_lost": 0, "win_rate": None, "revenue_won": "0.00", "avg_check": None,
        "sales_cycle_median_s": None, "sales_cycle_mean_s": None, "touches_per_won_deal_mean": None,
        "touches_per_won_deal_median": None, "won_multi_product": 0, "upsell_rate": None, "repeat_deals_won": 0,
        "repeat_revenue_won": "0.00", "lost_by_stage": {}, "lost_by_reason": {}, "invoiced": "0.00", "paid": "0.00",
        "cohort_won": 0, "cohort_conversion": None,
        "qa_reviews": 0, "qa_score_avg": None, **CRITERIA_NULLS,
        "plan": {},
    }  # fmt: skip


def u1_block() -> dict[str, Any]:
    return {
        **empty_block(),
        "calls_in": 2, "calls_in_missed": 1, "calls_out": 1, "talk_time_s": 60, "avg_call_duration_s": 60,
        "answer_wait_avg_s": 10, "emails_out": 1, "meetings": 1, "new_contacts_reached": 3,
        "missed_calls_returned": 1, "missed_call_return_rate": 1.0, "missed_call_return_median_s": 86400,
        "active_days": 4, "activities_per_active_day": 1.0,
        "leads_new": 3, "first_response_median_s": 63000.5, "first_response_p90_s": 82800,
        "leads_without_response": 1, "first_response_sla_rate": 0.0,
        "callbacks_due": 2, "callbacks_on_time": 1, "callbacks_pending": 1, "callback_on_time_rate": 1.0,
        "deals_won": 2, "win_rate": 1.0, "revenue_won": "1400.00", "avg_check": "700.00",
        "sales_cycle_median_s": 993600, "sales_cycle_mean_s": 993600, "touches_per_won_deal_mean": 0.5,
        "touches_per_won_deal_median": 0.5, "won_multi_product": 1, "upsell_rate": 0.5, "repeat_deals_won": 1,
        "repeat_revenue_won": "400.00", "invoiced": "1000.00", "paid": "600.00", "cohort_won": 2,
        "cohort_conversion": 2 / 3,
        "qa_reviews": 1, "qa_score_avg": 0.7, "qa_politeness_avg": 1.0, "qa_empathy_avg": 0.4,
        "plan": {"revenue_won": {"target": "2000.00", "fact": "1400.00", "rate": 0.7}},
    }  # fmt: skip


def u2_block() -> dict[str, Any]:
    return {
        **empty_block(),
        "calls_out": 1, "calls_out_answered": 1, "talk_time_s": 120, "avg_call_duration_s": 120,
        "active_days": 1, "activities_per_active_day": 1.0,
        "leads_new": 1, "leads_without_response": 1, "first_response_sla_rate": 0.0,
        "callbacks_due": 1, "callbacks_missed": 1, "callback_on_time_rate": 0.0,
        "deals_lost": 1, "win_rate": 0.0, "lost_by_stage": {"s1": 1}, "lost_by_reason": {"": 1},
        "cohort_conversion": 0.0,
        "qa_reviews": 1, "qa_score_avg": 0.7, "qa_politeness_avg": 0.8, "qa_script_avg": 0.6,
    }  # fmt: skip


def team_block() -> dict[str, Any]:
    return {
        **empty_block(),
        "calls_in": 2, "calls_in_missed": 1, "calls_out": 2, "calls_out_answered": 1, "talk_time_s": 180,
        "avg_call_duration_s": 90, "answer_wait_avg_s": 10, "emails_out": 1, "meetings": 1,
        "new_contacts_reached": 3, "missed_calls_returned": 1, "missed_call_return_rate": 1.0,
        "missed_call_return_median_s": 86400, "active_days": 5, "activities_per_active_day": 1.0,
        "leads_new": 4, "first_response_median_s": 63000.5, "first_response_p90_s": 82800,
        "leads_without_response": 2, "first_response_sla_rate": 0.0,
        "callbacks_due": 3, "callbacks_on_time": 1, "callbacks_pending": 1, "callbacks_missed": 1,
        "callback_on_time_rate": 0.5,
        "deals_won": 2, "deals_lost": 1, "win_rate": 2 / 3, "revenue_won": "1400.00", "avg_check": "700.00",
        "sales_cycle_median_s": 993600, "sales_cycle_mean_s": 993600, "touches_per_won_deal_mean": 0.5,
        "touches_per_won_deal_median": 0.5, "won_multi_product": 1, "upsell_rate": 0.5, "repeat_deals_won": 1,
        "repeat_revenue_won": "400.00", "lost_by_stage": {"s1": 1}, "lost_by_reason": {"": 1},
        "invoiced": "1000.00", "paid": "600.00", "cohort_won": 2, "cohort_conversion": 0.5,
        "qa_reviews": 2, "qa_score_avg": 0.7, "qa_politeness_avg": 0.9, "qa_script_avg": 0.6, "qa_empathy_avg": 0.4,
        "plan": {"deals_won": {"target": "4.00", "fact": 2, "rate": 0.5}},
    }  # fmt: skip


def expected_march() -> dict[str, Any]:
    department = {**team_block(), "inbound_messages": 1, "plan": {}}
    e2e_x = {"leads": 3, "won": 2, "revenue": "1400.00", "customers": 1, "spend": "100.00", "cpl": "33.33",
             "cac": "100.00", "romi": 13.0}  # fmt: skip
    e2e_seo_none = {"leads": 0, "won": 0, "revenue": "0.00", "customers": 0, "spend": "50.00", "cpl": None,
                    "cac": None, "romi": -1.0}  # fmt: skip
    e2e_blank = {"leads": 1, "won": 0, "revenue": "0.00", "customers": 0, "spend": "0.00", "cpl": "0.00",
                 "cac": None, "romi": None}  # fmt: skip
    return {
        "period": {
            "from": "2026-03-01",
            "to": "2026-03-31",
            "timezone": "Europe/Moscow",
            "as_of": "2026-03-31T23:20:00+03:00",
        },  # fmt: skip
        "users": {"u1": u1_block(), "u2": u2_block(), "u3": empty_block()},
        "teams": {"t1": team_block(), "t2": empty_block()},
        "department": department,
        "funnel": {"p": [{"stage": "s1", "reached": 4}, {"stage": "s2", "reached": 3}, {"stage": "won", "reached": 3}]},
        "sources": {
            "seo": {
                "leads": 3,
                "won": 2,
                "revenue": "1400.00",
                "customers": 1,
                "spend": "150.00",
                "cpl": "50.00",
                "cac": "150.00",
                "romi": 1250 / 150,
                "campaigns": {"x": e2e_x, "": e2e_seo_none},
            },  # fmt: skip
            "": {**e2e_blank, "campaigns": {"": e2e_blank}},
        },
    }


def test_hand_computed_march_report() -> None:
    report = build_reference_report(
        mini_bundle(), date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=AS_OF, timezone=TIMEZONE
    )
    assert diff_reports(expected_march(), report) == []


def test_as_of_cuts_records() -> None:
    as_of = dt.datetime(2026, 3, 4, 10, 15, tzinfo=MSK)
    report = build_reference_report(
        mini_bundle(), date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=as_of, timezone=TIMEZONE
    )
    u1 = report["users"]["u1"]
    # k1 is due 10:00, its call at 10:30 does not exist yet and the window runs to 10:30: pending.
    assert (u1["callbacks_due"], u1["callbacks_pending"], u1["callback_on_time_rate"]) == (1, 1, None)
    # d1 is still in s2; only d1 exists of u1's deals.
    assert (u1["deals_won"], u1["leads_new"], u1["first_response_median_s"]) == (0, 1, 82800)
    assert report["funnel"]["p"] == [
        {"stage": "s1", "reached": 1},
        {"stage": "s2", "reached": 1},
        {"stage": "won", "reached": 0},
    ]
    # the review of a2 was written at 2026-03-04 12:00, after as_of
    assert report["users"]["u2"]["qa_reviews"] == 0
    assert "qa_empathy_avg" not in u1
    # spend dated 03-01 and 03-02 exists (on or before the local date of as_of)
    assert report["sources"]["seo"]["spend"] == "150.00"


def test_partial_period_has_no_plan_and_a_day_is_cut_in_the_report_zone() -> None:
    # 2026-03-19 in UTC: d3 (created 2026-03-19T21:00Z) is a lead of that UTC day, not of the Moscow day.
    report = build_reference_report(
        mini_bundle(), date_from=dt.date(2026, 3, 19), date_to=dt.date(2026, 3, 19), as_of=AS_OF, timezone="UTC"
    )
    assert report["users"]["u1"]["leads_new"] == 1
    assert report["users"]["u1"]["plan"] == {}
    assert report["department"]["inbound_messages"] == 1
    moscow = build_reference_report(
        mini_bundle(), date_from=dt.date(2026, 3, 19), date_to=dt.date(2026, 3, 19), as_of=AS_OF, timezone=TIMEZONE
    )
    assert moscow["users"]["u1"]["leads_new"] == 0


def test_late_callback_and_reply_at_24h_plus_one_second() -> None:
    bundle = mini_bundle()
    # a8 moves to 10:30:01: one second after the window of k1, so k1 is late.
    bundle["activities"][7]["started_at"] = "2026-03-04T10:30:01+03:00"
    # a2 moves to 24 h + 1 s after the missed call a1: a8 (10:30:01 on 03-04) is then the first reply attempt
    # but 49 h 30 min after the call, so a1 is not returned.
    bundle["activities"][1]["started_at"] = "2026-03-03T09:00:01+03:00"
    report = build_reference_report(
        bundle, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=AS_OF, timezone=TIMEZONE
    )
    u1 = report["users"]["u1"]
    assert (u1["callbacks_on_time"], u1["callbacks_late"], u1["callback_on_time_rate"]) == (0, 1, 0.0)
    assert (u1["missed_calls_returned"], u1["missed_call_return_rate"], u1["missed_call_return_median_s"]) == (
        0,
        0.0,
        None,
    )


def test_statistics_helpers() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
    assert median([]) is None
    assert percentile_90(list(range(1, 11))) == 9  # rank ceil(90/10) = 9
    assert percentile_90(list(range(1, 12))) == 10  # rank ceil(99/10) = 10
    assert percentile_90([5]) == 5
    assert money_ratio(Decimal("0.05"), 2) == "0.03"  # 0.025 rounds half-up
    assert money_ratio(Decimal("100.00"), 3) == "33.33"
    assert money_ratio(Decimal("2.00"), 3) == "0.67"
    assert money_ratio(Decimal("1.00"), 0) is None


def test_day_start_with_missing_and_doubled_midnights() -> None:
    havana = ZoneInfo("America/Havana")
    # 2026-03-08 00:00 does not exist in Havana (clocks jump 00:00 -> 01:00): the day starts at 01:00 -04:00.
    assert day_start(dt.date(2026, 3, 8), havana) == dt.datetime(2026, 3, 8, 5, 0, tzinfo=dt.UTC)
    # 2026-11-01 00:00 occurs twice (01:00 -04:00 -> 00:00 -05:00): the first one, 00:00 -04:00.
    assert day_start(dt.date(2026, 11, 1), havana) == dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC)
    new_york = ZoneInfo("America/New_York")
    assert day_start(dt.date(2026, 3, 8), new_york) == dt.datetime(2026, 3, 8, 5, 0, tzinfo=dt.UTC)
    assert day_start(dt.date(2026, 3, 9), new_york) == dt.datetime(2026, 3, 9, 4, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("seed", range(40))
def test_generated_bundles_are_consistent(seed: int) -> None:
    """Invariants that any correct report satisfies, over generated bundles."""
    bundle = generate_bundle(seed, size=1 + seed % 4)
    for date_from, date_to in bundle.periods:
        for as_of in bundle.as_ofs:
            report = build_reference_report(
                bundle.records, date_from=date_from, date_to=date_to, as_of=as_of, timezone=bundle.timezone
            )
            blocks = [*report["users"].values(), *report["teams"].values(), report["department"]]
            assert len({frozenset(b) for b in blocks}) == 1
            for block in blocks:
                parts = ("callbacks_on_time", "callbacks_pending", "callbacks_late", "callbacks_missed")
                assert sum(block[p] for p in parts) == block["callbacks_due"]
                assert block["calls_in_missed"] <= block["calls_in"]
                assert block["missed_calls_returned"] <= block["calls_in_missed"]
                assert sum(block["lost_by_stage"].values()) == block["deals_lost"]
            department = report["department"]
            for key in ("calls_in", "calls_out", "deals_won", "leads_new", "callbacks_due", "qa_reviews"):
                assert sum(u[key] for u in report["users"].values()) <= department[key]
            assert sum(u["deals_won"] for u in report["users"].values()) == department["deals_won"]
            assert sum(s["leads"] for s in report["sources"].values()) == department["leads_new"]


def test_diff_reports_names_the_differing_paths() -> None:
    expected = {"users": {"u1": {"calls_in": 2, "paid": "1.00", "rate": 0.5, "plan": {}}}}
    assert (
        diff_reports(expected, {"users": {"u1": {"calls_in": 2, "paid": "1.00", "rate": 0.5 + 1e-12, "plan": {}}}})
        == []
    )
    actual = {"users": {"u1": {"calls_in": 3, "paid": 1.0, "rate": None, "extra": 1}}}
    assert diff_reports(expected, actual) == [
        "$.users.u1.calls_in: expected 2, actual 3",
        "$.users.u1.paid: expected '1.00', actual 1.0",
        "$.users.u1.rate: expected 0.5, actual None",
        "$.users.u1.plan: missing in actual (expected {})",
        "$.users.u1.extra: unexpected key (actual 1)",
    ]
