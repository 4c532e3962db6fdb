"""My day: leads waiting for an answer, callbacks, missed calls, tasks, and the month against the plan."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from salescope.activities.services import activity_record
from salescope.billing.services import plan_set
from salescope.contacts.services import contact_create
from salescope.deals.services import deal_create, deal_move_stage
from salescope.followups.models import Task
from salescope.followups.services import callback_schedule, task_complete, task_create

from .conftest import client_for


def _lead(dept, owner, name, minutes_ago):
    contact = contact_create(name=name, owner=owner)
    created = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return deal_create(contact=contact, owner=owner, pipeline=dept.pipeline, amount=Decimal("1000"), created_at=created)


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_a_manager_starts_on_my_day_and_a_head_on_the_dashboard(dept):
    assert client_for(dept.kolya).get("/").url == "/my-day/"
    assert client_for(dept.head_a).get("/").url == "/dashboards/"


def test_new_leads_waiting_for_a_first_response_with_the_sla_timer(dept):
    late = _lead(dept, dept.kolya, "Поздний Лид", 20)
    fresh = _lead(dept, dept.kolya, "Свежий Лид", 5)
    answered = _lead(dept, dept.kolya, "Отвеченный Лид", 30)
    activity_record(
        kind="call",
        started_at=timezone.now() - dt.timedelta(minutes=25),
        user=dept.kolya,
        contact=answered.contact,
        direction="out",
        status="missed",
    )  # an outbound call of any status is a reply attempt
    _lead(dept, dept.petya, "Чужой Лид", 20)
    leads = _section(client_for(dept.kolya).get("/my-day/").content.decode(), "leads")
    assert "Поздний Лид" in leads and "Свежий Лид" in leads
    assert "Отвеченный Лид" not in leads and "Чужой Лид" not in leads
    assert leads.index("Поздний Лид") < leads.index("Свежий Лид")  # the longest wait first
    assert f'class="timer late" data-since="{timezone.localtime(late.created_at).isoformat()}"' in leads
    assert 'class="timer" data-since' in leads
    assert 'data-sla="900"' in leads
    waited, shown = re.search(r'class="timer late"[^>]*data-waited="(\d+)"[^>]*>([\d:]+)<', leads).groups()
    assert 1200 <= int(waited) < 1260
    assert shown == f"{int(waited) // 60}:{int(waited) % 60:02d}"  # m:ss until the script takes over
    assert fresh.contact.name in leads


def test_callbacks_due_today_and_overdue_but_not_later_or_done(dept):
    now = timezone.now()
    end_of_today = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time()))
    if end_of_today - now < dt.timedelta(minutes=2):
        pytest.skip("too close to midnight for a callback later today")
    overdue = callback_schedule(
        user=dept.kolya, contact=dept.kolya_contact, due_at=now - dt.timedelta(hours=1), note="перезвонить по КП"
    )
    callback_schedule(
        user=dept.kolya,
        contact=dept.kolya_contact,
        due_at=end_of_today - dt.timedelta(minutes=1),
        note="сегодня вечером",
    )
    callback_schedule(user=dept.kolya, contact=dept.kolya_contact, due_at=now + dt.timedelta(days=2), note="потом")
    done = callback_schedule(
        user=dept.kolya, contact=dept.kolya_contact, due_at=now - dt.timedelta(hours=2), note="уже сделано"
    )
    task_complete(task=done)
    callback_schedule(user=dept.petya, contact=dept.petya_contact, due_at=now, note="чужой")
    task_create(kind="todo", user=dept.kolya, due_at=now + dt.timedelta(days=1), note="подготовить договор")
    html = client_for(dept.kolya).get("/my-day/").content.decode()
    callbacks = _section(html, "callbacks")
    assert "перезвонить по КП" in callbacks and "сегодня вечером" in callbacks
    assert "потом" not in callbacks and "уже сделано" not in callbacks and "чужой" not in callbacks
    assert callbacks.count("overdue-tag") == 1
    assert "подготовить договор" in _section(html, "tasks")
    response = client_for(dept.kolya).post(f"/tasks/{overdue.pk}/done/")
    assert response.status_code == 302
    assert Task.objects.get(pk=overdue.pk).completed_at is not None


def test_a_manager_cannot_complete_another_managers_task(dept):
    task = callback_schedule(user=dept.petya, contact=dept.petya_contact, due_at=timezone.now())
    assert client_for(dept.kolya).post(f"/tasks/{task.pk}/done/").status_code == 404
    assert Task.objects.get(pk=task.pk).completed_at is None


def test_missed_calls_not_yet_returned(dept):
    now = timezone.now()
    waiting = contact_create(name="Ждёт Звонка", owner=dept.kolya)
    returned = contact_create(name="Уже Перезвонили", owner=dept.kolya)
    for contact in (waiting, returned):
        activity_record(
            kind="call",
            started_at=now - dt.timedelta(hours=2),
            user=dept.kolya,
            contact=contact,
            direction="in",
            status="missed",
        )
    activity_record(
        kind="call",
        started_at=now - dt.timedelta(hours=1),
        user=dept.kolya,
        contact=returned,
        direction="out",
        status="answered",
        duration_s=60,
    )
    activity_record(
        kind="call",
        started_at=now - dt.timedelta(hours=2),
        user=dept.petya,
        contact=dept.petya_contact,
        direction="in",
        status="missed",
    )
    missed = _section(client_for(dept.kolya).get("/my-day/").content.decode(), "missed")
    assert "Ждёт Звонка" in missed
    assert "Уже Перезвонили" not in missed and dept.petya_contact.name not in missed


def test_my_month_against_my_plan_comes_from_the_analytics_engine(dept):
    month = timezone.localdate().replace(day=1)
    plan_set(month=month, metric="revenue_won", target=Decimal("300000"), user=dept.kolya)
    won = dept.pipeline.stages.get(ref="won")
    deal_move_stage(deal=dept.kolya_deal, stage=won, by=dept.kolya)  # 150 000,00 won now
    deal_move_stage(deal=dept.petya_deal, stage=won, by=dept.petya)
    page = client_for(dept.kolya).get("/my-day/").content.decode()
    assert 'hx-get="/my-day/month/" hx-trigger="load"' in _section(page, "month")  # filled in after the page
    month_html = client_for(dept.kolya).get("/my-day/month/").content.decode()
    row = month_html[month_html.index('data-metric="revenue_won"') :].split("</tr>")[0]
    assert "150\xa0000,00\xa0₽" in row
    assert "300\xa0000,00\xa0₽" in row
    assert "50\xa0%" in row
    deals_row = month_html[month_html.index('data-metric="deals_won"') :].split("</tr>")[0]
    assert '<td class="num">1</td>' in deals_row  # Петя's win is not Коля's


def test_the_manager_screens_speak_russian_and_english(dept):
    client = client_for(dept.kolya)
    page = client.get("/my-day/").content.decode()
    assert (
        "Мой день" in page and "Новые лиды ждут первого ответа" in page and "Пропущенные звонки без перезвона" in page
    )
    assert "Доска сделок" in client.get("/board/").content.decode()
    card = client.get(f"/contacts/{dept.kolya_contact.pk}/").content.decode()
    assert "Назначить перезвон (клиенту нужно подумать)" in card and "Отправить предложение" in card
    client.post("/i18n/setlang/", {"language": "en", "next": "/my-day/"})
    assert "New leads waiting for a first response" in client.get("/my-day/").content.decode()
