"""A manager schedules a callback on the contact card and is reminded when it is due; My day's live timer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salescope.accounts.services import user_create
from salescope.contacts.services import contact_create
from salescope.deals.services import deal_create, pipeline_create
from salescope.followups.models import Task
from salescope.followups.services import callback_reminders_send


@pytest.mark.django_db(transaction=True)
def test_a_callback_is_scheduled_and_its_reminder_appears_when_due(login, live_server):
    kolya = user_create(username="kolya", name="Коля", email="kolya@example.ru", password="kolya12345")
    ivan = contact_create(name="Иван Петров", owner=kolya, company="ООО Ромашка")
    page = login("kolya", "kolya12345")
    page.goto(f"{live_server.url}/contacts/{ivan.pk}/")
    page.click("#action-callback summary")
    due = (timezone.localtime() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    page.fill("#action-callback input[name=due_at]", due.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#action-callback textarea[name=note]", "Клиент думает над КП")
    page.click("#action-callback button[type=submit]")
    page.wait_for_load_state("networkidle")
    task = Task.objects.get(contact=ivan)
    assert (task.kind, task.due_at, task.note) == ("callback", due, "Клиент думает над КП")
    assert page.locator("[data-testid=notification-badge]").count() == 0

    assert callback_reminders_send(now=due - dt.timedelta(minutes=1)) == 0  # the periodic task, a minute early
    page.reload()
    assert page.locator("[data-testid=notification-badge]").count() == 0

    assert callback_reminders_send(now=due) == 1  # ... and when the callback is due
    page.reload()
    assert page.locator("[data-testid=notification-badge]").inner_text() == "1"
    page.click(".bell")
    page.wait_for_load_state("networkidle")
    item = page.locator(".notification.unread")
    assert item.count() == 1
    assert "Иван Петров" in item.inner_text() and "Клиент думает над КП" in item.inner_text()
    item.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/contacts/{ivan.pk}/"
    assert page.locator("[data-testid=notification-badge]").count() == 0


@pytest.mark.django_db(transaction=True)
def test_my_day_timer_turns_red_past_the_sla(login, live_server):
    kolya = user_create(username="kolya", name="Коля", password="kolya12345")
    pipeline = pipeline_create(name="Продажи", stages=[("new", "Новая", "open"), ("won", "Оплачено", "won")])
    lead = contact_create(name="Новый Лид", owner=kolya)
    created = timezone.now() - dt.timedelta(seconds=900 - 12)
    deal_create(contact=lead, owner=kolya, pipeline=pipeline, amount=Decimal("1000"), created_at=created)
    page = login("kolya", "kolya12345")
    assert page.url == f"{live_server.url}/my-day/"  # a manager's home page
    timer = page.locator("#leads .timer")
    assert "Новый Лид" in page.locator("#leads").inner_text()
    assert "late" not in (timer.get_attribute("class") or "")
    page.wait_for_selector("#leads .timer.late", timeout=20_000)
    minutes, seconds = timer.inner_text().split(":")
    assert int(minutes) * 60 + int(seconds) > 900
