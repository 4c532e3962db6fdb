"""Callback reminders: in the app (a badge and a list) and by e-mail, once, when the callback is due."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from salescope.accounts.services import user_create
from salescope.contacts.services import contact_create
from salescope.followups.models import Task
from salescope.followups.services import callback_reminders_send, callback_schedule, task_complete
from salescope.followups.tasks import callback_reminders
from salescope.notifications.models import Notification
from salescope.notifications.services import notifications_mark_read

NOW = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # 10:00 in Moscow


@pytest.fixture
def people(db):
    kolya = user_create(username="kolya", name="Коля", email="kolya@example.ru", password="secret123")
    petya = user_create(username="petya", name="Петя", password="secret123")
    ivan = contact_create(name="Иван Петров", owner=kolya)
    return kolya, petya, ivan


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_due_callback_is_reminded_once_in_the_app_and_by_mail(people):
    kolya, _, ivan = people
    task = callback_schedule(user=kolya, contact=ivan, due_at=NOW, note="Клиент думает над КП")
    assert callback_reminders_send(now=NOW - dt.timedelta(seconds=1)) == 0
    assert callback_reminders_send(now=NOW) == 1
    note = Notification.objects.get()
    assert (note.user, note.task, note.title, note.url) == (
        kolya,
        task,
        "Перезвонить: Иван Петров",
        f"/contacts/{ivan.pk}/",
    )
    assert note.body == "Перезвон назначен на 2 марта 2026 г. 10:00.\nКлиент думает над КП"
    assert note.created_at == NOW and note.read_at is None
    assert Task.objects.get(pk=task.pk).reminded_at == NOW
    assert len(mail.outbox) == 1
    assert (mail.outbox[0].to, mail.outbox[0].subject) == (["kolya@example.ru"], "Перезвонить: Иван Петров")
    assert "Клиент думает над КП" in mail.outbox[0].body
    assert callback_reminders_send(now=NOW + dt.timedelta(minutes=1)) == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_done_callbacks_and_other_tasks_are_not_reminded(people):
    kolya, petya, ivan = people
    task_complete(task=callback_schedule(user=kolya, contact=ivan, due_at=NOW), at=NOW - dt.timedelta(minutes=5))
    from salescope.followups.services import task_create

    task_create(kind="todo", user=kolya, due_at=NOW, contact=ivan)
    callback_schedule(user=petya, contact=ivan, due_at=NOW)  # Петя has no e-mail: in-app only
    assert callback_reminders_send(now=NOW) == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["petya"]
    assert mail.outbox == []


def test_the_periodic_task_runs_the_service(people):
    kolya, _, ivan = people
    callback_schedule(user=kolya, contact=ivan, due_at=timezone.now() - dt.timedelta(minutes=1))
    assert callback_reminders.call_local() == 1
    assert Notification.objects.filter(user=kolya).count() == 1


def test_the_badge_counts_only_my_unread_notifications(people):
    kolya, petya, ivan = people
    callback_schedule(user=kolya, contact=ivan, due_at=NOW)
    callback_schedule(user=kolya, contact=ivan, due_at=NOW, note="второй")
    callback_schedule(user=petya, contact=ivan, due_at=NOW)
    callback_reminders_send(now=NOW)
    page = _client(kolya).get("/contacts/").content.decode()
    assert '<span class="badge" data-testid="notification-badge">2</span>' in page
    listing = _client(kolya).get("/notifications/").content.decode()
    assert listing.count('class="notification unread"') == 2
    first = Notification.objects.filter(user=kolya).first()
    response = _client(kolya).post("/notifications/read/", {"id": first.pk, "next": first.url})
    assert response.url == f"/contacts/{ivan.pk}/"
    assert (
        '<span class="badge" data-testid="notification-badge">1</span>'
        in _client(kolya).get("/contacts/").content.decode()
    )
    assert notifications_mark_read(user=kolya) == 1
    assert 'data-testid="notification-badge"' not in _client(kolya).get("/contacts/").content.decode()


def test_a_notification_link_never_leads_off_site(people):
    kolya, _, _ = people
    response = _client(kolya).post("/notifications/read/", {"next": "https://evil.example/"})
    assert response.url == "/notifications/"


def test_mail_failure_does_not_stop_the_in_app_reminder(people, settings):
    settings.EMAIL_BACKEND = "salescope.notifications.tests.broken_mail.Backend"
    kolya, _, ivan = people
    callback_schedule(user=kolya, contact=ivan, due_at=NOW)
    assert callback_reminders_send(now=NOW) == 1
    assert Notification.objects.filter(user=kolya).count() == 1


def test_the_mail_links_to_the_client_when_the_address_is_configured(people, settings):
    settings.SALESCOPE_BASE_URL = "https://crm.example.ru"
    kolya, _, ivan = people
    callback_schedule(user=kolya, contact=ivan, due_at=NOW)
    callback_reminders_send(now=NOW)
    assert mail.outbox[0].body.endswith(f"\n\nhttps://crm.example.ru/contacts/{ivan.pk}/")


def test_callbacks_overdue_for_more_than_a_day_are_not_announced_again(people):
    kolya, _, ivan = people
    callback_schedule(user=kolya, contact=ivan, due_at=NOW - dt.timedelta(hours=24))
    recent = callback_schedule(user=kolya, contact=ivan, due_at=NOW - dt.timedelta(hours=23, minutes=59))
    assert callback_reminders_send(now=NOW) == 1
    assert Notification.objects.get().task == recent
