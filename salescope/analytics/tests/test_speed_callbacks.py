"""Speed of reaction to leads and callbacks at their edges."""

import datetime as dt
from typing import Any

import pytest

from salescope.analytics.records import metric_records
from salescope.analytics.report import build_report
from salescope.followups.services import task_complete, task_create

from .conftest import at

MARCH: dict[str, Any] = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}
SPEED = ("leads_new", "first_response_median_s", "first_response_p90_s", "leads_without_response")


def report(as_of: str = "2026-04-05 12:00"):
    return build_report(**MARCH, as_of=at(as_of))


def pick(group: dict, *keys: str) -> dict:
    return {key: group[key] for key in keys}


@pytest.fixture
def leads(dept):
    d = dept
    c = {ref: d.contact(ref) for ref in ("c1", "c2", "c3", "c4", "c5", "c6")}
    d.act("meeting", "2026-03-02 09:00", d.u1, contact=c["c1"])  # before the deal: not a response
    d.deal("d1", c["c1"], d.u1, "2026-03-02 10:00")
    d.act("call", "2026-03-02 10:00", d.u2, contact=c["c1"], direction="out", status="missed")  # at creation: 0 s
    d.deal("d2", c["c2"], d.u1, "2026-03-03 10:00")
    d.act("proposal", "2026-03-03 10:15", d.u2, contact=c["c2"])  # exactly 900 s
    d.deal("d3", c["c3"], d.u1, "2026-03-04 10:00")
    d.act("email", "2026-03-04 10:15:01", d.u1, contact=c["c3"], direction="out")  # 901 s
    d.deal("d4", c["c4"], d.u1, "2026-03-05 10:00")
    d.act("email", "2026-03-05 10:01", d.u1, contact=c["c4"], direction="in")  # inbound: not a reply attempt
    d.act("note", "2026-03-05 10:02", d.u1, contact=c["c4"])
    d.deal("d5", c["c5"], d.u2, "2026-03-06 10:00")
    d.act("call", "2026-03-20 10:00", None, contact=c["c5"], direction="in", duration_s=5)  # 14 days later
    d.deal("d6", c["c6"], d.u2, "2026-02-28 23:59:59")  # before P
    d.deal("d7", c["c6"], d.u2, "2026-04-01 00:00")  # after P
    return d


@pytest.mark.django_db
def test_first_response(leads):
    result = report()
    assert pick(result["users"]["u1"], *SPEED, "first_response_sla_rate") == {
        "leads_new": 4,
        "first_response_median_s": 900,
        "first_response_p90_s": 901,
        "leads_without_response": 1,
        "first_response_sla_rate": 0.5,
    }
    assert pick(result["users"]["u2"], *SPEED, "first_response_sla_rate") == {
        "leads_new": 1,
        "first_response_median_s": 1209600,
        "first_response_p90_s": 1209600,
        "leads_without_response": 0,
        "first_response_sla_rate": 0.0,
    }
    assert pick(result["teams"]["t1"], *SPEED, "first_response_sla_rate") == {
        "leads_new": 5,
        "first_response_median_s": 900.5,
        "first_response_p90_s": 1209600,
        "leads_without_response": 1,
        "first_response_sla_rate": 0.4,
    }
    assert result["department"]["leads_new"] == 5
    assert result["users"]["u3"]["first_response_sla_rate"] is None


@pytest.mark.django_db
def test_first_response_cut_by_as_of(leads):
    user = report(as_of="2026-03-04 10:15:00.5")["users"]["u1"]
    assert pick(user, *SPEED, "first_response_sla_rate") == {
        "leads_new": 3,
        "first_response_median_s": 450,
        "first_response_p90_s": 900,
        "leads_without_response": 1,
        "first_response_sla_rate": 2 / 3,
    }
    records = metric_records(metric="first_response_median_s", **MARCH, as_of=at("2026-04-05 12:00"), team="t1")
    assert [(r["ref"], r["delay_s"]) for r in records] == [("d1", 0), ("d2", 900), ("d3", 901), ("d5", 1209600)]


@pytest.fixture
def callbacks(dept):
    d = dept
    u1 = d.u1
    c = {ref: d.contact(ref) for ref in ("k1", "k2", "k3", "k4", "k5", "k7", "k9")}

    def callback(due: str, created: str = "2026-03-01 09:00", **kwargs):
        return task_create(kind="callback", user=u1, due_at=at(due), created_at=at(created), **kwargs)

    callback("2026-03-02 10:00", contact=c["k1"])
    d.act("call", "2026-03-02 10:30", u1, contact=c["k1"], direction="out", status="missed")  # due + 1800 s: on time
    callback("2026-03-03 10:00", contact=c["k2"])
    d.act("call", "2026-03-03 10:30:01", u1, contact=c["k2"], direction="out")  # one second late
    callback("2026-03-04 10:00", contact=c["k3"])
    d.act("call", "2026-03-04 10:05", d.u2, contact=c["k3"], direction="out")  # another user: missed
    d.act("call", "2026-03-04 10:06", u1, contact=c["k3"], direction="in")  # inbound: missed
    done = callback("2026-03-05 10:00", created="2026-03-05 09:00", contact=c["k4"])
    d.act("call", "2026-03-05 08:59", u1, contact=c["k4"], direction="out")  # before the task: missed
    task_complete(task=done, at=at("2026-03-05 10:00"))
    deal = d.deal("dk", c["k5"], d.u2, "2026-02-01 10:00")
    callback("2026-03-06 10:00", created="2026-03-06 08:00", deal=deal)  # the client is the deal's contact
    d.act("call", "2026-03-06 08:00", u1, contact=c["k5"], direction="out", status="missed")  # at created_at
    callback("2026-03-07 10:00")  # no client: missed once the window passed
    callback("2026-03-31 23:50", contact=c["k7"])
    d.act("call", "2026-04-02 10:00", u1, contact=c["k7"], direction="out")  # late, after P
    callback("2026-03-31 23:55")  # no client
    callback("2026-03-31 23:59:30", contact=c["k9"])  # due after the early as_of
    callback("2026-03-31 23:58", created="2026-03-31 23:59:30", contact=c["k9"])  # created after the early as_of
    callback("2026-04-01 00:00", contact=c["k9"])  # due after P
    task_create(kind="call", user=u1, due_at=at("2026-03-10 10:00"), created_at=at("2026-03-01 09:00"))
    return d


CALLBACKS = (
    "callbacks_due",
    "callbacks_on_time",
    "callbacks_pending",
    "callbacks_late",
    "callbacks_missed",
    "callback_on_time_rate",
)


@pytest.mark.django_db
def test_callbacks_after_every_window(callbacks):
    result = report()
    expected = dict(zip(CALLBACKS, (10, 2, 0, 2, 6, 0.2), strict=True))
    assert pick(result["users"]["u1"], *CALLBACKS) == expected
    assert pick(result["teams"]["t1"], *CALLBACKS) == expected
    assert pick(result["department"], *CALLBACKS) == expected
    assert pick(result["users"]["u2"], *CALLBACKS) == dict(zip(CALLBACKS, (0, 0, 0, 0, 0, None), strict=True))


@pytest.mark.django_db
def test_callbacks_pending_while_the_window_is_open(callbacks):
    result = report(as_of="2026-03-31 23:59")
    assert pick(result["users"]["u1"], *CALLBACKS) == dict(zip(CALLBACKS, (8, 2, 2, 1, 3, 1 / 3), strict=True))
    records = metric_records(metric="callbacks_pending", **MARCH, as_of=at("2026-03-31 23:59"), user="u1")
    assert [(r["due_at"], r["status"]) for r in records] == [
        ("2026-03-31T23:50:00+03:00", "pending"),
        ("2026-03-31T23:55:00+03:00", "pending"),
    ]
    # exactly at due + 1800 s the 23:50 window has passed (the 23:55, 23:58 and 23:59:30 ones have not)
    at_edge = report(as_of="2026-04-01 00:20")["users"]["u1"]
    assert pick(at_edge, *CALLBACKS) == dict(zip(CALLBACKS, (10, 2, 3, 1, 4, 2 / 7), strict=True))
