import datetime as dt
import json
import re
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from salescope.demo.generator import build_demo_bundle

from .conftest import NOW, TODAY
from .figures import instant

MONEY = re.compile(r"^\d+\.\d{2}$")
E164_RU = re.compile(r"^\+79\d{9}$")
OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$")


def test_same_seed_and_moment_give_the_same_bundle():
    first = build_demo_bundle(today=TODAY, now=NOW, contacts=120)
    second = build_demo_bundle(today=TODAY, now=NOW, contacts=120)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_another_seed_gives_other_data():
    first = build_demo_bundle(today=TODAY, now=NOW, contacts=120, seed=7)
    other = build_demo_bundle(today=TODAY, now=NOW, contacts=120, seed=8)
    assert first["contacts"] != other["contacts"]
    assert first["users"] == other["users"]


def test_a_later_now_on_a_past_day_does_not_change_the_bundle():
    """The history ends at the end of `today`; any `now` after it gives the same records."""
    late = build_demo_bundle(today=TODAY, now=NOW + dt.timedelta(days=30), contacts=60)
    later = build_demo_bundle(today=TODAY, now=NOW + dt.timedelta(days=60), contacts=60)
    assert late == later


def test_department_people_and_pipeline(demo_bundle):
    users = {u["id"]: u for u in demo_bundle["users"]}
    assert users["kolya"]["name"].startswith("Николай ")
    assert users["head"]["role"] == "head" and users["admin"]["role"] == "admin"
    assert Counter(u["role"] for u in users.values()) == {"manager": 10, "head": 1, "admin": 1}
    assert [t["name"] for t in demo_bundle["teams"]] == ["Москва", "Регионы"]
    stages = demo_bundle["pipelines"][0]["stages"]
    assert [s["name"] for s in stages if s["kind"] == "open"] == [
        "Новый лид",
        "Квалификация",
        "КП отправлено",
        "Переговоры",
    ]
    assert sorted(s["kind"] for s in stages if s["kind"] != "open") == ["lost", "won"]
    assert demo_bundle["manifest"] == {
        "format": "salescope-bundle", "version": 1, "timezone": "Europe/Moscow", "currency": "RUB"
    }  # fmt: skip


def test_contacts_count_and_fields(demo_bundle):
    contacts = demo_bundle["contacts"]
    assert len(contacts) == 800
    assert len({c["id"] for c in contacts}) == 800
    phones = [p for c in contacts for p in c["phones"]]
    assert all(E164_RU.match(p) for p in phones) and len(set(phones)) == len(phones)
    assert {"yandex_direct", "google_ads", "seo", "referral", "cold", "avito"} <= {c["source"] for c in contacts}
    assert all(re.fullmatch(r"[а-яА-ЯёЁ]+ [а-яА-ЯёЁ]+", c["name"]) for c in contacts)
    paid = [c for c in contacts if c["source"] == "yandex_direct"]
    assert all(c["utm"]["utm_campaign"] == c["campaign"] for c in paid)


def test_money_times_and_amounts_follow_the_bundle_rules(demo_bundle):
    b = demo_bundle
    amounts = [d["amount"] for d in b["deals"]] + [i["amount"] for i in b["invoices"]]
    amounts += [p["amount"] for p in b["payments"]] + [r["amount"] for r in b["ad_spend"]]
    amounts += [r["target"] for r in b["plans"]] + [i["price"] for d in b["deals"] for i in d["items"]]
    assert all(isinstance(a, str) and MONEY.match(a) for a in amounts)
    times = [c["created_at"] for c in b["contacts"]] + [d["created_at"] for d in b["deals"]]
    times += [s["at"] for s in b["stage_changes"]] + [a["started_at"] for a in b["activities"]]
    times += [t["due_at"] for t in b["tasks"]] + [p["paid_at"] for p in b["payments"]]
    assert all(OFFSET.match(t) for t in times)
    for deal in b["deals"]:
        total = sum(Decimal(i["price"]) * i["quantity"] for i in deal["items"])
        assert Decimal(deal["amount"]) == total, deal["id"]
    invoiced = {i["id"]: Decimal(i["amount"]) for i in b["invoices"]}
    paid = Counter()
    for payment in b["payments"]:
        paid[payment["invoice"]] += Decimal(payment["amount"])
    assert all(paid[i] <= invoiced[i] for i in paid)
    assert any(paid[i] == invoiced[i] for i in invoiced) and any(0 < paid[i] < invoiced[i] for i in invoiced)


def test_every_deal_history_starts_at_its_creation_and_moves_forward(demo_bundle):
    changes: dict[str, list[dict]] = {}
    for change in demo_bundle["stage_changes"]:
        changes.setdefault(change["deal"], []).append(change)
    order = ["new", "qualified", "proposal", "negotiation", "won"]
    lost_reasons = set()
    for deal in demo_bundle["deals"]:
        history = changes[deal["id"]]
        assert history[0]["at"] == deal["created_at"] and history[0]["to_stage"] == "new"
        times = [instant(c["at"]) for c in history]
        assert times == sorted(times) and len(set(times)) == len(times)
        stages = [c["to_stage"] for c in history if c["to_stage"] != "lost"]
        assert stages == order[: len(stages)]
        is_lost = history[-1]["to_stage"] == "lost"
        assert ("loss_reason" in deal) == is_lost
        if is_lost:
            lost_reasons.add(deal["loss_reason"])
    assert lost_reasons == {"Дорого", "Выбрали конкурента", "Не актуально", "Нет бюджета", "Не дозвонились"}


def test_activity_fields_apply_to_their_kind(demo_bundle):
    kinds = Counter()
    for a in demo_bundle["activities"]:
        kinds[(a["kind"], a.get("direction"), a.get("status"))] += 1
        if a["kind"] == "call":
            assert a["status"] in ("answered", "missed") and a["direction"] in ("in", "out")
            assert ("duration_s" in a) == (a["status"] == "answered")
            assert ("wait_s" in a) == (a["direction"] == "in")
        else:
            assert "status" not in a and "wait_s" not in a and "duration_s" not in a
    for kind in [("call", "in", "answered"), ("call", "in", "missed"), ("call", "out", "answered"),
                 ("call", "out", "missed"), ("message", "in", None), ("message", "out", None),
                 ("email", "in", None), ("email", "out", None), ("proposal", "out", None), ("meeting", None, None),
                 ("note", None, None)]:  # fmt: skip
        assert kinds[kind] > 0, kind
    keys = [(a["origin"], a["external_id"]) for a in demo_bundle["activities"] if "external_id" in a]
    assert len(keys) == len(set(keys))
    assert {a["channel"] for a in demo_bundle["activities"] if a["kind"] == "message"} >= {"telegram", "whatsapp"}


def test_nothing_happens_after_now(demo_bundle):
    b = demo_bundle
    moments = [c["created_at"] for c in b["contacts"]] + [d["created_at"] for d in b["deals"]]
    moments += [s["at"] for s in b["stage_changes"]] + [a["started_at"] for a in b["activities"]]
    moments += [t["created_at"] for t in b["tasks"]] + [t["completed_at"] for t in b["tasks"] if "completed_at" in t]
    moments += [i["issued_at"] for i in b["invoices"]] + [p["paid_at"] for p in b["payments"]]
    assert max(instant(m) for m in moments) <= NOW
    assert max(r["date"] for r in b["ad_spend"]) == TODAY.isoformat()
    assert min(instant(c["created_at"]) for c in b["contacts"]).date() >= TODAY - dt.timedelta(days=91)


def test_plans_cover_each_manager_and_team_every_full_month(demo_bundle):
    plans = demo_bundle["plans"]
    months = sorted({p["month"] for p in plans})
    assert months == ["2026-01", "2026-02", "2026-03"]
    kolya = {(p["month"], p["metric"]) for p in plans if p.get("user") == "kolya"}
    assert kolya == {(m, metric) for m in months for metric in ("revenue_won", "deals_won", "calls_out")}
    msk = {(p["month"], p["metric"]) for p in plans if p.get("team") == "msk"}
    assert msk == {(m, metric) for m in months for metric in ("revenue_won", "deals_won", "calls_out", "paid")}
    assert all(("user" in p) != ("team" in p) for p in plans)


def test_tasks_have_callbacks_todos_and_meetings(demo_bundle):
    assert {t["kind"] for t in demo_bundle["tasks"]} == {"callback", "todo", "meeting"}


@pytest.mark.parametrize("zone, offset", [("Asia/Yekaterinburg", "+05:00"), ("Europe/Berlin", "+01:00")])
def test_the_department_time_zone_is_used(settings, zone, offset):
    settings.TIME_ZONE = zone
    bundle = build_demo_bundle(today=TODAY, now=dt.datetime(2026, 3, 20, 12, tzinfo=ZoneInfo(zone)), contacts=30)
    assert bundle["manifest"]["timezone"] == zone
    assert all(a["started_at"].endswith(offset) for a in bundle["activities"][:50])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="contacts must be at least 1"):
        build_demo_bundle(today=TODAY, now=NOW, contacts=0)
    with pytest.raises(ValueError, match="before the demo's history starts"):
        build_demo_bundle(today=TODAY, now=NOW - dt.timedelta(days=200), contacts=10)
