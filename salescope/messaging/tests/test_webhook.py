from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from salescope.activities.models import Activity
from salescope.contacts.models import Contact
from salescope.deals.models import Deal
from salescope.integrations.models import Integration, RawEvent
from salescope.integrations.services import integration_configure
from salescope.messaging.models import TelegramChat, TelegramUpdate

from .conftest import SECRET, BotApi

URL = "/hooks/telegram/"
ANNA = {"id": 512340001, "is_bot": False, "first_name": "Anna", "last_name": "K", "username": "anna_k"}


def update(
    update_id: int, message_id: int, text: str = "Hello", chat: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": 1772431200 + message_id,
        "from": ANNA,
        "chat": chat or {"id": ANNA["id"], "type": "private", "first_name": "Anna"},
    }
    if text:
        message["text"] = text
    message.update(extra)
    return {"update_id": update_id, "message": message}


def post(body: Any, secret: str | None = SECRET, raw: bytes | None = None) -> Any:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = raw if raw is not None else json.dumps(body).encode()
    return Client().post(URL, data=data, content_type="application/json", headers=headers)


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(telegram: BotApi, secret: str | None) -> None:
    response = post(update(1, 41), secret=secret)
    assert response.status_code == 403
    assert "X-Telegram-Bot-Api-Secret-Token" in response.json()["error"]
    assert (Activity.objects.count(), Contact.objects.count(), RawEvent.objects.count()) == (0, 0, 0)
    assert TelegramUpdate.objects.count() == 0


def test_the_endpoint_is_off_until_configured(sales: object) -> None:
    assert post(update(1, 41)).status_code == 404
    integration_configure("telegram", enabled=False, secret_token=SECRET)
    assert post(update(1, 41)).status_code == 404
    assert Activity.objects.count() == 0


def test_a_new_chat_becomes_a_contact_with_a_lead_and_an_inbound_message(telegram: BotApi, sales: Any) -> None:
    response = post(update(804211907, 41, "Do you deliver to Kazan?"))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "outcome": "stored"}
    contact = Contact.objects.get()
    assert (contact.name, contact.source, contact.owner) == ("Anna K", "telegram", sales.manager)
    deal = Deal.objects.get()
    assert (deal.contact, deal.owner, deal.title) == (contact, sales.manager, "Telegram")
    assert Deal.objects.values_list("stage__ref", flat=True).get() == "new"
    activity = Activity.objects.get()
    assert (activity.kind, activity.direction, activity.channel, activity.origin) == (
        "message",
        "in",
        "telegram",
        "messenger",
    )
    assert (activity.external_id, activity.body, activity.contact, activity.deal, activity.user) == (
        "512340001:41",
        "Do you deliver to Kazan?",
        contact,
        deal,
        sales.manager,
    )
    assert activity.started_at == dt.datetime.fromtimestamp(1772431241, tz=dt.UTC)
    chat = TelegramChat.objects.get()
    assert (chat.chat_id, chat.contact, chat.username) == (512340001, contact, "anna_k")
    raw = RawEvent.objects.get()
    assert (raw.integration, raw.status, json.loads(raw.payload)["update_id"]) == ("telegram", "ok", 804211907)
    assert "X-Telegram-Bot-Api-Secret-Token" not in raw.headers
    assert Integration.objects.get(key="telegram").events_received == 1


def test_later_messages_of_the_chat_land_on_the_same_contact(telegram: BotApi) -> None:
    post(update(10, 41, "First"))
    post(update(11, 42, "Second"))
    contact = Contact.objects.get()
    assert list(contact.activities.order_by("started_at").values_list("body", flat=True)) == ["First", "Second"]
    assert Deal.objects.count() == 1


def test_a_redelivered_update_is_stored_once(telegram: BotApi) -> None:
    first = post(update(10, 41, "Hi"))
    again = post(update(10, 41, "Hi"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["outcome"] == "duplicate"
    assert Activity.objects.count() == 1
    assert TelegramUpdate.objects.count() == 1


def test_the_same_message_under_a_new_update_id_is_stored_once(telegram: BotApi) -> None:
    post(update(10, 41, "Hi"))
    again = post(update(12, 41, "Hi"))
    assert again.json()["outcome"] == "duplicate"
    assert Activity.objects.count() == 1


def test_the_same_message_id_in_another_chat_is_another_message(telegram: BotApi) -> None:
    post(update(10, 41, "From Anna"))
    post(update(11, 41, "From Boris", chat={"id": 777, "type": "private", "first_name": "Boris"}))
    assert sorted(Activity.objects.values_list("external_id", flat=True)) == ["512340001:41", "777:41"]
    assert Contact.objects.count() == 2


def test_media_is_stored_with_its_caption_or_its_kind(telegram: BotApi) -> None:
    post(update(10, 41, "", photo=[{"file_id": "x", "width": 90, "height": 90}], caption="My invoice"))
    post(update(11, 42, "", voice={"file_id": "v", "duration": 3}))
    assert list(Activity.objects.order_by("started_at").values_list("body", flat=True)) == ["My invoice", "[voice]"]


def test_a_shared_phone_finds_the_existing_phone_contact(telegram: BotApi, sales: Any) -> None:
    from salescope.contacts.services import contact_create

    known = contact_create(name="Anna Kuznetsova", phones=["+7 916 123-45-67"], owner=sales.other)
    shared = {"phone_number": "79161234567", "first_name": "Anna", "user_id": ANNA["id"]}
    post(update(10, 41, "", contact=shared))
    assert Contact.objects.count() == 1
    assert TelegramChat.objects.get().contact == known
    assert Activity.objects.get().body == "[contact]"


def test_updates_without_a_message_are_acknowledged_and_not_stored(telegram: BotApi) -> None:
    edited = {"update_id": 20, "edited_message": update(0, 41, "edited")["message"]}
    response = post(edited)
    assert (response.status_code, response.json()["outcome"]) == (200, "ignored")
    assert Activity.objects.count() == 0
    assert RawEvent.objects.get().status == "ok"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"not json", "invalid JSON"),
        (b"\xff\xfe", "invalid JSON"),
        (b"[1, 2]", "update: must be an object"),
        (b'{"message": {}}', "update_id: must be an integer"),
        (b'{"update_id": "7", "message": {}}', "update_id: must be an integer"),
        (b'{"update_id": 7, "message": {"message_id": 1, "date": 1}}', "message.chat: must be an object"),
        (
            b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": {"id": "x"}}}',
            "message.chat.id: must be an integer",
        ),
        (
            b'{"update_id": 7, "message": {"message_id": 1, "date": 99999999999999999, "chat": {"id": 5}}}',
            "message.date: not a Unix time",
        ),
        (
            b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": {"id": 5}, "text": 5}}',
            "message.text: must be a string",
        ),
    ],
)
def test_garbage_is_refused_with_the_reason_and_kept_as_rejected(telegram: BotApi, raw: bytes, error: str) -> None:
    response = post(None, raw=raw)
    assert response.status_code == 400
    assert response.json()["error"].startswith(error)
    event = RawEvent.objects.get()
    assert (event.status, event.error.startswith(error)) == ("rejected", True)
    assert (Activity.objects.count(), Contact.objects.count(), TelegramUpdate.objects.count()) == (0, 0, 0)
    assert Integration.objects.get(key="telegram").last_error.startswith(error)


def test_a_failed_update_is_not_marked_processed_so_the_retry_is_stored(telegram: BotApi) -> None:
    bad = update(30, 41, "x")
    bad["message"]["date"] = "soon"
    assert post(bad).status_code == 400
    assert post(update(30, 41, "Hi")).json()["outcome"] == "stored"
    assert Activity.objects.count() == 1


def test_get_is_not_allowed(telegram: BotApi) -> None:
    assert Client().get(URL).status_code == 405


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite's shared in-memory test database locks tables instead of waiting; PostgreSQL runs it",
)
@pytest.mark.django_db(transaction=True)
def test_two_first_messages_of_a_new_chat_at_once_are_both_stored_on_one_contact(telegram: BotApi) -> None:
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def deliver(update_id: int, message_id: int) -> None:
        try:
            barrier.wait(timeout=5)
            statuses.append(post(update(update_id, message_id, f"part {message_id}")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(50 + i, 60 + i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200, 200]
    assert (Contact.objects.count(), TelegramChat.objects.count()) == (1, 1)
    assert sorted(Activity.objects.values_list("body", flat=True)) == ["part 60", "part 61"]
