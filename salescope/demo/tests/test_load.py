import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from salescope.accounts.models import User
from salescope.accounts.services import team_create, user_create
from salescope.activities.models import Activity
from salescope.analytics.report import build_report
from salescope.billing.models import Payment, Plan
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.deals.models import Deal, LossReason, StageChange
from salescope.demo.generator import build_demo_bundle
from salescope.demo.services import demo_load
from salescope.marketing.models import AdSpend

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db

SMALL = 150


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_load_imports_every_record_of_the_bundle():
    bundle = build_demo_bundle(today=TODAY, now=NOW, contacts=SMALL)
    result = demo_load(today=TODAY, now=NOW, contacts=SMALL)
    assert Contact.objects.count() == SMALL
    assert Deal.objects.count() == len(bundle["deals"])
    assert StageChange.objects.count() == len(bundle["stage_changes"])
    assert Activity.objects.count() == len(bundle["activities"])
    assert Payment.objects.count() == len(bundle["payments"])
    assert Plan.objects.count() == len(bundle["plans"])
    assert AdSpend.objects.count() == len(bundle["ad_spend"])
    assert result.imported.counts["deals.jsonl"].created == len(bundle["deals"])
    assert result.imported.warnings == []
    kolya = User.objects.get(username="kolya")
    assert kolya.name == "Николай Петров" and kolya.team is not None and kolya.team.name == "Москва"
    offered = list(LossReason.objects.values_list("name", flat=True))
    assert offered == ["Дорого", "Выбрали конкурента", "Не актуально", "Нет бюджета", "Не дозвонились"]


def test_demo_logins_have_documented_passwords():
    result = demo_load(today=TODAY, now=NOW, contacts=20)
    first = [(login.username, login.password, login.role) for login in result.logins[:3]]
    assert first == [
        ("head", "head12345", "head"),
        ("kolya", "kolya12345", "manager"),
        ("admin", "admin12345", "admin"),
    ]
    assert len(result.logins) == 12
    for username in ("head", "kolya", "admin", "olga"):
        user = authenticate(username=username, password=f"{username}12345")
        assert user is not None and user.username == username
    assert authenticate(username="kolya", password="wrong") is None
    assert User.objects.get(username="admin").is_superuser


def test_demo_load_refuses_a_database_with_users():
    user_create(username="someone", name="Кто-то", team=team_create(name="Отдел"))
    with pytest.raises(ServiceError, match="database: is not empty"):
        demo_load(today=TODAY, now=NOW, contacts=10)
    assert Contact.objects.count() == 0


def test_patterns_show_up_in_the_report():
    demo_load(today=TODAY, now=NOW, contacts=600)
    report = build_report(date_from=TODAY - dt.timedelta(days=91), date_to=TODAY, as_of=NOW)
    users = report["users"]
    others = [u for u in users if users[u]["leads_new"] and u not in ("kolya", "olga", "anna", "sergey")]
    assert len(others) == 6
    assert users["kolya"]["first_response_median_s"] > 7200
    assert all(users[u]["first_response_median_s"] < 1200 for u in others)
    assert users["olga"]["callback_on_time_rate"] < 0.3
    assert all(users[u]["callback_on_time_rate"] > 0.6 for u in others)
    assert users["anna"]["win_rate"] > 1.5 * max(users[u]["win_rate"] for u in others)
    assert users["anna"]["calls_out"] < min(users[u]["calls_out"] for u in others)

    def calls_per_lead(user: str) -> float:
        return users[user]["calls_out"] / users[user]["leads_new"]

    assert calls_per_lead("anna") < 0.5 * min(calls_per_lead(u) for u in others)
    assert users["sergey"]["deals_won"] > 0 and users["sergey"]["upsell_rate"] == 0
    assert all(users[u]["upsell_rate"] > 0 for u in others)
    avito = report["sources"]["avito"]
    assert avito["leads"] > 100 and avito["won"] == 0 and avito["revenue"] == "0.00"
    assert avito["romi"] == -1


def test_command_loads_and_prints_where_to_log_in():
    out = StringIO()
    call_command("demo", "--contacts", "20", "--today", "2026-03-20", "--url", "http://crm.local:9000/", stdout=out)
    text = out.getvalue()
    assert "Open http://crm.local:9000/ and log in:" in text
    assert "head     head12345" in text and "kolya    kolya12345" in text and "admin    admin12345" in text
    assert Contact.objects.count() == 20


def test_command_if_empty_does_nothing_when_users_exist():
    user_create(username="someone", name="Кто-то")
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert out.getvalue() == "The database already has data; the demo was not loaded.\n"
    assert Contact.objects.count() == 0


def test_command_refuses_a_non_empty_database():
    user_create(username="someone", name="Кто-то")
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("demo", "--contacts", "10")


def test_command_rejects_bad_options():
    with pytest.raises(CommandError, match="--contacts must be at least 1"):
        call_command("demo", "--contacts", "0")
    with pytest.raises(CommandError, match="--today: expected a date YYYY-MM-DD"):
        call_command("demo", "--today", "20.03.2026")
