"""Productivity at its edges: 24 h reply windows, as_of cuts, no-user records, local dates, ties."""

import datetime as dt
from typing import Any

import pytest

from salescope.analytics.records import metric_records
from salescope.analytics.report import build_report

from .conftest import at

MARCH: dict[str, Any] = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}


def report(as_of: str = "2026-04-05 12:00", **kwargs):
    return build_report(**MARCH, as_of=at(as_of), **kwargs)


def pick(group: dict, *keys: str) -> dict:
    return {key: group[key] for key in keys}


@pytest.fixture
def calls(dept):
    d = dept
    c1, c2, c3, c4, c6, c7, c8 = (d.contact(ref) for ref in ("c1", "c2", "c3", "c4", "c6", "c7", "c8"))
    u1, u2 = d.u1, d.u2
    missed = {"kind": "call", "direction": "in", "status": "missed"}
    # m1: returned after exactly 24 h by another user's missed outbound call
    d.act(when="2026-03-02 10:00", user=u1, contact=c1, **missed)
    d.act("call", "2026-03-03 10:00", u2, contact=c1, direction="out", status="missed")
    # m2: the first reply attempt comes 24 h + 1 s later: not returned
    d.act(when="2026-03-02 10:00", user=u1, contact=c2, **missed)
    d.act("email", "2026-03-02 11:00", u2, contact=c2, direction="in")  # inbound: not a reply attempt
    d.act("note", "2026-03-02 12:00", u1, contact=c2)
    d.act("email", "2026-03-03 10:00:01", u1, contact=c2, direction="out")
    # m3: a reply at the same instant is not "after"; an answered inbound call without user 90 s later is
    d.act(when="2026-03-05 10:00", user=u1, contact=c3, **missed)
    d.act("call", "2026-03-05 10:00", u1, contact=c3, direction="out", duration_s=125)
    d.act("call", "2026-03-05 10:01:30", None, contact=c3, direction="in", duration_s=30, wait_s=7)
    d.act("call", "2026-03-05 23:30", u1, contact=c3, direction="out", status="missed")
    # m4: no contact: counted, never returned
    d.act(when="2026-03-06 10:00", user=u1, **missed)
    # m5: last hour of P, returned after P ends (but before as_of)
    d.act(when="2026-03-31 23:00", user=u1, contact=c4, **missed)
    d.act("call", "2026-04-01 00:30", u2, contact=c4, direction="out", duration_s=10)
    # a shared-line missed call (no user), returned by u1's message after 600 s
    d.act(when="2026-03-10 10:00", contact=c6, **missed)
    d.act("message", "2026-03-10 10:10", u1, contact=c6, direction="out")
    # inbound message replied by an inbound proposal 0.5 s later
    d.act("message", "2026-03-12 09:00", u2, contact=c7, direction="in")
    d.act("proposal", "2026-03-12 09:00:00.5", u1, contact=c7, direction="in")
    # the last second of P and the first second after it
    d.act("call", "2026-03-31 23:59:59", u1, contact=c8, direction="out", status="missed")
    d.act("call", "2026-04-01 00:00", u1, contact=c8, direction="out", status="missed")
    return d


COUNTS = (
    "calls_in",
    "calls_in_missed",
    "calls_out",
    "calls_out_answered",
    "talk_time_s",
    "avg_call_duration_s",
    "answer_wait_avg_s",
    "emails_out",
    "messages_out",
    "meetings",
    "proposals_sent",
)
REPLIES = (
    "missed_calls_returned",
    "missed_call_return_rate",
    "missed_call_return_median_s",
    "inbound_messages",
    "inbound_messages_replied",
    "message_reply_median_s",
    "active_days",
    "activities_per_active_day",
    "new_contacts_reached",
)


@pytest.mark.django_db
def test_counts_per_user_team_and_department(calls):
    result = report()
    assert pick(result["users"]["u1"], *COUNTS) == {
        "calls_in": 5,
        "calls_in_missed": 5,
        "calls_out": 3,
        "calls_out_answered": 1,
        "talk_time_s": 125,
        "avg_call_duration_s": 125,
        "answer_wait_avg_s": None,
        "emails_out": 1,
        "messages_out": 1,
        "meetings": 0,
        "proposals_sent": 1,
    }
    assert pick(result["users"]["u2"], *COUNTS) == {
        "calls_in": 0,
        "calls_in_missed": 0,
        "calls_out": 1,
        "calls_out_answered": 0,
        "talk_time_s": 0,
        "avg_call_duration_s": None,
        "answer_wait_avg_s": None,
        "emails_out": 0,
        "messages_out": 0,
        "meetings": 0,
        "proposals_sent": 0,
    }
    assert pick(result["teams"]["t1"], "calls_in", "calls_out", "talk_time_s") == {
        "calls_in": 5,
        "calls_out": 4,
        "talk_time_s": 125,
    }
    assert pick(result["department"], *COUNTS) == {
        "calls_in": 7,
        "calls_in_missed": 6,
        "calls_out": 4,
        "calls_out_answered": 1,
        "talk_time_s": 155,
        "avg_call_duration_s": 77.5,
        "answer_wait_avg_s": 7,
        "emails_out": 1,
        "messages_out": 1,
        "meetings": 0,
        "proposals_sent": 1,
    }


@pytest.mark.django_db
def test_replies_within_24_hours_by_anyone(calls):
    result = report()
    assert pick(result["users"]["u1"], *REPLIES) == {
        "missed_calls_returned": 3,
        "missed_call_return_rate": 0.6,
        "missed_call_return_median_s": 5400,
        "inbound_messages": 0,
        "inbound_messages_replied": 0,
        "message_reply_median_s": None,
        "active_days": 5,
        "activities_per_active_day": 1.2,
        "new_contacts_reached": 4,
    }
    assert pick(result["users"]["u2"], *REPLIES) == {
        "missed_calls_returned": 0,
        "missed_call_return_rate": None,
        "missed_call_return_median_s": None,
        "inbound_messages": 2,
        "inbound_messages_replied": 2,
        "message_reply_median_s": 41400.75,
        "active_days": 1,
        "activities_per_active_day": 1,
        "new_contacts_reached": 0,
    }
    assert pick(result["teams"]["t1"], "active_days", "activities_per_active_day") == {
        "active_days": 5,
        "activities_per_active_day": 1.4,
    }
    assert pick(result["department"], *REPLIES) == {
        "missed_calls_returned": 4,
        "missed_call_return_rate": 4 / 6,
        "missed_call_return_median_s": 3000,
        "inbound_messages": 2,
        "inbound_messages_replied": 2,
        "message_reply_median_s": 41400.75,
        "active_days": 5,
        "activities_per_active_day": 1.6,
        "new_contacts_reached": 4,
    }
    assert result["teams"]["t2"]["calls_in"] == 0 and result["users"]["u3"]["active_days"] == 0


@pytest.mark.django_db
def test_as_of_cuts_replies_and_activities(calls):
    result = report(as_of="2026-03-31 23:59:59")
    user = result["users"]["u1"]
    # m5's reply (00:30 on April 1) does not exist yet; everything of u1 up to 23:59:59 does
    assert pick(user, "calls_in_missed", "missed_calls_returned", "missed_call_return_median_s", "calls_out") == {
        "calls_in_missed": 5,
        "missed_calls_returned": 2,
        "missed_call_return_median_s": 43245,
        "calls_out": 3,
    }
    earlier = report(as_of="2026-03-31 23:59:58")["users"]["u1"]
    assert (earlier["calls_out"], earlier["active_days"]) == (2, 4)


@pytest.mark.django_db
def test_drill_down_lists_the_counted_records(calls):
    records = metric_records(metric="missed_calls_returned", **MARCH, as_of=at("2026-04-05 12:00"), user="u1")
    assert [(r["contact"], r["delay_s"], r["replied"]) for r in records] == [
        ("c1", 86400, True),
        ("c3", 90, True),
        ("c4", 5400, True),
    ]
    assert records[0]["at"] == "2026-03-02T10:00:00+03:00" and records[0]["user"] == "u1"
    everything = metric_records(metric="missed_call_return_rate", **MARCH, as_of=at("2026-04-05 12:00"))
    assert len(everything) == 6 and sum(r["replied"] for r in everything) == 4
    days = metric_records(metric="active_days", **MARCH, as_of=at("2026-04-05 12:00"), team="t1")
    assert sorted({r["local_date"] for r in days}) == [
        "2026-03-03",
        "2026-03-05",
        "2026-03-10",
        "2026-03-12",
        "2026-03-31",
    ]


@pytest.mark.django_db
def test_new_contacts_first_touch_ever(dept):
    d = dept
    c9, c10, c11, c12 = (d.contact(ref) for ref in ("c9", "c10", "c11", "c12"))
    # two users touch c9 at the very same first instant: it counts for both, once for team and department
    d.act("meeting", "2026-03-20 12:00", d.u1, contact=c9)
    d.act("call", "2026-03-20 12:00", d.u2, contact=c9, direction="in")
    # c10 was first touched before P
    d.act("meeting", "2026-02-28 23:59:59", d.u1, contact=c10)
    d.act("email", "2026-03-02 09:00", d.u2, contact=c10, direction="out")
    # c11 first touched by a call without user; u1's later touch does not make it u1's
    d.act("call", "2026-03-03 09:00", None, contact=c11, direction="in", wait_s=3)
    d.act("email", "2026-03-04 09:00", d.u1, contact=c11, direction="out")
    # c12: a missed outbound call and an inbound e-mail are not touches; the touch after as_of does not exist
    d.act("call", "2026-03-05 09:00", d.u2, contact=c12, direction="out", status="missed")
    d.act("email", "2026-03-05 10:00", d.u2, contact=c12, direction="in")
    d.act("message", "2026-03-30 10:00", d.u2, contact=c12, direction="out")
    result = report(as_of="2026-03-30 09:59:59")
    assert [result["users"][u]["new_contacts_reached"] for u in ("u1", "u2", "u3")] == [1, 1, 0]
    assert result["teams"]["t1"]["new_contacts_reached"] == 1
    assert result["department"]["new_contacts_reached"] == 2
    later = report()
    assert later["users"]["u2"]["new_contacts_reached"] == 2
    assert later["department"]["new_contacts_reached"] == 3


@pytest.mark.django_db
def test_active_days_are_local_dates_of_the_report_zone(dept):
    d = dept
    c = d.contact("c1")
    # 23:30 Moscow on March 3 is 20:30 UTC the same day; 02:30 Moscow on March 4 is 23:30 UTC on March 3
    d.act("call", "2026-03-03 23:30", d.u1, contact=c, direction="out", status="missed")
    d.act("call", "2026-03-04 02:30", d.u1, contact=c, direction="out", status="missed")
    moscow = report()["users"]["u1"]
    utc = report(tz="UTC")["users"]["u1"]
    assert (moscow["active_days"], moscow["activities_per_active_day"]) == (2, 1)
    assert (utc["active_days"], utc["activities_per_active_day"]) == (1, 2)
