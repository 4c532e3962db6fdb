"""Plan blocks (whole months only) and QA averages (criteria of every existing review)."""

import datetime as dt
from decimal import Decimal

import pytest

from salescope.analytics.report import build_report
from salescope.billing.services import plan_set
from salescope.quality.services import qa_review_create

from .conftest import at


def report(date_from: str, date_to: str, as_of: str = "2026-04-05 12:00"):
    return build_report(
        date_from=dt.date.fromisoformat(date_from), date_to=dt.date.fromisoformat(date_to), as_of=at(as_of)
    )


@pytest.fixture
def planned(dept):
    d = dept
    c = d.contact("c1")
    deal = d.deal("s1", c, d.u1, "2026-03-02 10:00", amount="465.00")
    d.move(deal, "won", "2026-03-03 10:00")
    for day in ("2026-02-10 10:00", "2026-03-10 10:00", "2026-03-11 10:00"):
        d.act("call", day, d.u1, contact=c, direction="out", status="missed")
    plan_set(month=dt.date(2026, 3, 1), metric="revenue_won", target=Decimal("500.00"), user=d.u1)
    plan_set(month=dt.date(2026, 2, 1), metric="calls_out", target=Decimal("10.00"), user=d.u1)
    plan_set(month=dt.date(2026, 3, 1), metric="deals_won", target=Decimal("0.00"), team=d.t1)
    plan_set(month=dt.date(2026, 4, 1), metric="paid", target=Decimal("100.00"), user=d.u2)
    return d


@pytest.mark.django_db
def test_plan_of_one_whole_month(planned):
    result = report("2026-03-01", "2026-03-31")
    assert result["users"]["u1"]["plan"] == {"revenue_won": {"target": "500.00", "fact": "465.00", "rate": 0.93}}
    assert result["teams"]["t1"]["plan"] == {"deals_won": {"target": "0.00", "fact": 1, "rate": None}}
    assert result["users"]["u2"]["plan"] == {} and result["teams"]["t2"]["plan"] == {}
    assert result["department"]["plan"] == {}


@pytest.mark.django_db
def test_plan_of_several_months_sums_targets(planned):
    result = report("2026-02-01", "2026-04-30")
    assert result["users"]["u1"]["plan"] == {
        "revenue_won": {"target": "500.00", "fact": "465.00", "rate": 0.93},
        "calls_out": {"target": "10.00", "fact": 3, "rate": 0.3},
    }
    assert result["users"]["u2"]["plan"] == {"paid": {"target": "100.00", "fact": "0.00", "rate": 0.0}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period", [("2026-03-01", "2026-03-30"), ("2026-03-02", "2026-03-31"), ("2026-02-15", "2026-03-31")]
)
def test_no_plan_unless_whole_months(planned, period):
    result = report(*period)
    assert all(group["plan"] == {} for level in ("users", "teams") for group in result[level].values())


@pytest.fixture
def reviewed(dept):
    d = dept
    c = d.contact("c1")
    a1 = d.act("call", "2026-03-02 10:00", d.u1, contact=c, direction="out")
    a2 = d.act("call", "2026-03-03 10:00", d.u1, contact=c, direction="in", status="missed")
    a3 = d.act("call", "2026-03-04 10:00", None, contact=c, direction="in")
    a4 = d.act("call", "2026-02-28 10:00", d.u1, contact=c, direction="out")
    reviewer = d.u3

    def review(call, when, scores, top):
        qa_review_create(activity=call, reviewer=reviewer, scores=scores, max_score=top, at=at(when))

    review(a1, "2026-03-05 10:00", {"politeness": 4, "script": 3}, 5)
    qa_review_create(
        activity=a1, reviewer=d.u2, scores={"politeness": 5, "empathy": 2}, max_score=5, at=at("2026-03-06 10:00")
    )
    review(a2, "2026-04-02 10:00", {"objections": 1}, 3)
    review(a3, "2026-03-07 10:00", {"script": 10}, 10)
    review(a4, "2026-03-08 10:00", {"tone": 2}, 2)  # a call before P: only its criterion appears
    review(a1, "2026-04-10 10:00", {"humor": 1}, 1)  # after as_of: does not exist
    return d


QA = (
    "qa_reviews",
    "qa_score_avg",
    "qa_politeness_avg",
    "qa_product_knowledge_avg",
    "qa_script_avg",
    "qa_objections_avg",
    "qa_empathy_avg",
    "qa_tone_avg",
)


@pytest.mark.django_db
def test_quality_averages(reviewed):
    result = report("2026-03-01", "2026-03-31")
    user = result["users"]["u1"]
    assert [key for key in user if key.startswith("qa_")] == list(QA)
    assert {key: user[key] for key in QA} == {
        "qa_reviews": 3,
        "qa_score_avg": 26 / 45,
        "qa_politeness_avg": 0.9,
        "qa_product_knowledge_avg": None,
        "qa_script_avg": 0.6,
        "qa_objections_avg": 1 / 3,
        "qa_empathy_avg": 0.4,
        "qa_tone_avg": None,
    }
    assert {key: result["department"][key] for key in QA} == {
        "qa_reviews": 4,
        "qa_score_avg": 41 / 60,
        "qa_politeness_avg": 0.9,
        "qa_product_knowledge_avg": None,
        "qa_script_avg": 0.8,
        "qa_objections_avg": 1 / 3,
        "qa_empathy_avg": 0.4,
        "qa_tone_avg": None,
    }
    assert {key: result["users"]["u2"][key] for key in QA} == {key: 0 if key == "qa_reviews" else None for key in QA}
    assert "qa_humor_avg" not in result["teams"]["t2"] and "qa_tone_avg" in result["teams"]["t2"]


@pytest.mark.django_db
def test_quality_cut_by_as_of(reviewed):
    user = report("2026-03-01", "2026-03-31", as_of="2026-04-01 00:00")["users"]["u1"]
    assert (user["qa_reviews"], user["qa_score_avg"], user["qa_objections_avg"]) == (2, 0.7, None)
    assert "qa_humor_avg" in report("2026-03-01", "2026-03-31", as_of="2026-04-10 10:00")["department"]


@pytest.mark.django_db
def test_a_review_of_a_non_call_names_its_criterion_only(reviewed):
    """Reviews are of calls (quality/services); one written past the service still names its criterion."""
    from salescope.analytics import state
    from salescope.analytics.verify import report_differences, state_differences
    from salescope.quality.models import QAReview

    reviews_before = report("2026-03-01", "2026-03-31", as_of="2026-04-20 00:00")["department"]["qa_reviews"]
    email = reviewed.act("email", "2026-03-09 10:00", reviewed.u1, contact=reviewed.contact("c2"), direction="out")
    QAReview.objects.create(
        activity=email, reviewer=reviewed.u3, scores={"grammar": 3}, max=5, at=at("2026-03-09 11:00")
    )
    state.review_recorded(email.pk)
    as_of = at("2026-04-20 00:00")
    assert state_differences() == []
    assert report_differences(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=as_of) == []
    fast = report("2026-03-01", "2026-03-31", as_of="2026-04-20 00:00")["department"]
    assert fast["qa_grammar_avg"] is None
    assert fast["qa_reviews"] == reviews_before == 5
