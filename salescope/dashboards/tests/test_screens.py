import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from salescope.accounts.services import user_create
from salescope.analytics.report import build_report
from salescope.billing.services import plan_set
from salescope.contacts.services import contact_create
from salescope.core.scope import scope_for
from salescope.deals.models import Pipeline, Stage
from salescope.deals.services import deal_create, deal_move_stage

from ..digest import send_due_digests
from ..models import DigestSubscription
from ..periods import Span, buckets
from ..reports import engine_for
from ..series import series
from ..tasks import send_digests


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_comparison_lists_the_heads_team_with_report_values(client, department):
    response = _get(client, department.head, "/dashboards/managers/?period=today&sort=revenue_won")
    assert response.status_code == 200
    rows = response.context["table"].rows
    assert [r.person.ref for r in rows] == ["kolya", "anna"]  # Olga is in another team; sorted by revenue
    revenue = [r.cells[response.context["table"].columns.index("revenue_won")].value for r in rows]
    assert revenue == ["4000.00", "500.00"]
    table = response.context["table"]
    win_rate = table.columns.index("win_rate")
    assert [r.cells[win_rate].value for r in rows] == [1.0, 0.5]
    assert rows[0].cells[win_rate].mark == "strong" and rows[1].cells[win_rate].mark == "weak"
    assert str(table.median.cells[table.columns.index("revenue_won")].value) == "2250.00"
    body = response.content.decode()
    assert "Olga" not in body and "9999" not in body


def test_comparison_sorts_ascending_by_name(client, department):
    response = _get(client, department.head, "/dashboards/managers/?period=today&sort=name&dir=asc")
    assert [r.person.ref for r in response.context["table"].rows] == ["anna", "kolya"]


def test_csv_and_xlsx_export_what_is_shown(client, department):
    client.force_login(department.head)
    text = client.get("/dashboards/managers/?period=today&sort=revenue_won&format=csv").content.decode()
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[0] for line in lines[1:]] == ["Kolya", "Anna", "Медиана команды"]
    header = lines[0]
    assert lines[1][header.index("Выручка по выигранным")] == "4000.0"
    assert lines[2][header.index("Доля выигранных")] == "50.0"
    book = load_workbook(io.BytesIO(client.get("/dashboards/managers/?period=today&format=xlsx").content))
    sheet = book.active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Менеджер", "Kolya", "Anna", "Медиана команды"]


def test_manager_sees_only_their_own_row_and_not_others_records(client, department):
    response = _get(client, department.anna, "/dashboards/managers/?period=today")
    assert [r.person.ref for r in response.context["table"].rows] == ["anna"]
    assert client.get("/dashboards/records/deals_won/?period=today&user=kolya").status_code == 404
    assert client.get("/dashboards/managers/kolya/?period=today").status_code == 404


def test_dashboard_tiles_equal_the_report(client, department):
    response = _get(client, department.head, "/dashboards/?period=today")
    assert response.status_code == 200
    tiles = {t["key"]: t["value"] for t in response.context["tiles"]}
    assert tiles["revenue_won"] == "4500.00"
    assert tiles["deals_won"] == 3
    assert tiles["win_rate"] == 0.75
    assert 'href="/dashboards/records/revenue_won/?from=' in response.content.decode()
    assert 'title="Выручка по выигранным: Сумма amount по deals_won."' in response.content.decode()


def test_drilldown_lists_the_records_behind_a_value(client, department):
    response = _get(client, department.head, "/dashboards/records/deals_won/?period=today&user=kolya")
    assert response.status_code == 200
    assert response.context["count"] == 2
    body = response.content.decode()
    assert all(ref in body for ref in department.deals["kolya"])
    lost = client.get("/dashboards/records/deals_lost/?period=today&field=loss_reason&value=price")
    assert lost.context["count"] == 1


def test_a_long_drilldown_shows_the_first_rows_and_says_so_in_russian(client, department, monkeypatch):
    monkeypatch.setattr("salescope.dashboards.views.RECORDS_LIMIT", 1)
    response = _get(client, department.head, "/dashboards/records/deals_won/?period=today&user=kolya")
    assert response.context["count"] == 2 and len(response.context["rows"]) == 1
    assert "показаны первые 1" in response.content.decode()


def _report_queries(span, scope):
    with CaptureQueriesContext(connection) as queries:
        build_report(date_from=span.date_from, date_to=span.date_to, scope=scope)
    return len(queries.captured_queries)


def _count(client, url):
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


# The screens' own queries on top of the engine's (session, user, teams, people): pinned.
OWN_QUERIES = {"/dashboards/?period=today": 4, "/dashboards/managers/?period=today": 5}


def _engine_queries(url, department):
    scope = scope_for(department.head)
    today = Span("custom", department.today, department.today)
    if url.startswith("/dashboards/managers/"):
        return _report_queries(today, scope)
    return _report_queries(today, scope) + _report_queries(today.previous(), scope)


@pytest.mark.parametrize("url", list(OWN_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_data(client, department, url):
    client.force_login(department.head)
    client.get(url)
    expected = _engine_queries(url, department) + OWN_QUERIES[url]
    assert _count(client, url) == expected
    team = department.kolya.team
    for name in ("Boris", "Vera", "Gleb"):
        manager = user_create(username=name.lower(), name=name, team=team, password="pw", ref=name.lower())
        contact = contact_create(name=f"Client of {name}", owner=manager)
        a_minute_ago = timezone.now() - dt.timedelta(minutes=1)  # before the report's as_of (now, whole seconds)
        deal = deal_create(
            contact=contact,
            owner=manager,
            pipeline=Pipeline.objects.get(ref="main"),
            amount=Decimal(7),
            created_at=a_minute_ago,
        )
        deal_move_stage(deal=deal, stage=Stage.objects.get(ref="won"), at=a_minute_ago)
    assert _count(client, url) == expected


@pytest.mark.parametrize("items", [True, False])  # from the records, and from the state (fast path)
def test_series_points_equal_the_report_of_each_bucket(department, items):
    span = Span("custom", department.today - dt.timedelta(days=2), department.today)
    scope = scope_for(department.head)
    engine, owners = engine_for(span, scope, items=items)
    assert (engine.facts.summary is None) == items
    data = series(engine, owners, span)
    for index, part in enumerate(buckets(span)):
        report = build_report(date_from=part.date_from, date_to=part.date_to, scope=scope)["department"]
        for key in ("revenue_won", "deals_won", "paid", "calls_in", "calls_out", "calls_in_missed"):
            assert data[key][index] == report[key]
    assert data["revenue_won"][-1] == "4500.00"


def test_charts_and_plotly_are_served_locally(client, department):
    client.force_login(department.head)
    assert b"sales-data" not in client.get("/dashboards/charts/?period=today").content  # one day: numbers only
    two_days = (
        f"period=custom&from={department.today.fromordinal(department.today.toordinal() - 1)}&to={department.today}"
    )
    response = client.get(f"/dashboards/charts/?{two_days}")
    assert response.status_code == 200 and b"sales-data" in response.content
    assert response.context["charts"]["sales"]["traces"][0]["y"] == [0.0, 4500.0]
    script = client.get("/dashboards/plotly.min.js")
    assert script.status_code == 200 and b"plotly" in script.content[:2000].lower()


def test_bad_period_is_a_clear_error(client, department):
    response = _get(client, department.head, "/dashboards/?period=custom&from=2026-13-01&to=2026-01-01")
    assert response.status_code == 400
    assert b"from: expected a date YYYY-MM-DD" in response.content


def test_manager_page_and_funnel_render(client, department):
    client.force_login(department.head)
    page = client.get("/dashboards/managers/kolya/?period=today")
    assert page.status_code == 200
    assert page.context["funnel"][0]["steps"][-1]["reached"] == 2
    trends = client.get("/dashboards/managers/kolya/trends/?period=today")
    assert trends.status_code == 200 and len(trends.context["rows"]) == 6
    funnel = client.get("/dashboards/funnel/?period=today&manager=anna")
    assert funnel.status_code == 200
    assert [s["reached"] for s in funnel.context["funnels"][0]["steps"]] == [2, 1]
    assert funnel.context["lost_by_reason"] == [("price", 1)]


@pytest.mark.parametrize("url", ["/dashboards/funnel/?period=today", "/dashboards/managers/kolya/?period=today"])
def test_every_funnel_number_links_to_the_leads_behind_it(client, department, url):
    import re
    from html import unescape

    client.force_login(department.head)
    page = client.get(url).content.decode()
    links = re.findall(r'<a class="metric" href="([^"]*min_reach=[^"]*)">(\d+)</a>', page)
    assert links and any(int(n) > 0 for _, n in links)
    for href, reached in links:
        records = client.get(unescape(href))
        assert records.status_code == 200 and records.context["count"] == int(reached), href


def test_digest_sends_headline_and_table(client, department, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(department.head)
    assert client.post("/dashboards/digest/", {"frequency": "daily", "active": "on"}).status_code == 302
    subscription = DigestSubscription.objects.get(user=department.head)
    tomorrow = department.today.fromordinal(department.today.toordinal() + 1)
    assert send_due_digests(tomorrow) == 1
    assert send_due_digests(tomorrow) == 0  # once a day
    message = mail.outbox[0]
    assert message.to == ["head@example.com"]
    assert "Выручка по выигранным: 4" in message.body and "Kolya" in message.body and "Olga" not in message.body
    assert "Медиана команды" in message.alternatives[0][0]
    subscription.refresh_from_db()
    assert subscription.last_sent_on == tomorrow


def test_periodic_task_sends_the_due_digests(department, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DigestSubscription.objects.create(user=department.head, frequency="daily")
    DigestSubscription.objects.create(user=department.kolya, frequency="daily")  # no e-mail address: skipped
    assert send_digests.call_local() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Сводка Salescope")


def test_english_labels_and_number_format(client, department):
    client.force_login(department.head)
    client.cookies["django_language"] = "en"
    body = client.get("/dashboards/?period=today").content.decode()
    assert 'title="Revenue won: Sum of amount over deals_won."' in body
    assert "4,500.00\xa0₽" in body


def test_plan_fulfilment_per_manager_and_team(client, department):
    month = department.today.replace(day=1)
    plan_set(month=month, metric="revenue_won", target=Decimal("8000.00"), user=department.kolya)
    plan_set(month=month, metric="revenue_won", target=Decimal("10000.00"), team=department.kolya.team)
    client.force_login(department.head)
    response = client.get("/dashboards/plan/?period=today")
    rows = response.context["plan_rows"]
    assert [(r["person"].ref, r["plan"]["fact"], r["plan"]["rate"]) for r in rows] == [("kolya", "4000.00", 0.5)]
    assert [(t["team"].ref, t["plan"]["rate"]) for t in response.context["team_plans"]] == [("sales", 0.45)]
    body = response.content.decode()
    assert 'id="team-plans" class="tile-plan" hx-swap-oob="true"' in body and "45&nbsp;%" in body
