from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from salescope.activities.models import Activity
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.core.errors import ServiceError
from salescope.integrations.services import integration_configure
from salescope.messaging.services import message_send

from .conftest import SECRET, TOKEN, BotApi


def _chat_with_anna(sales: Any) -> Contact:
    body = {
        "update_id": 1,
        "message": {
            "message_id": 41,
            "date": 1772431200,
            "from": {"id": 5001, "first_name": "Anna"},
            "chat": {"id": 5001, "type": "private"},
            "text": "Hi",
        },
    }
    response = Client().post(
        "/hooks/telegram/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET,
    )
    assert response.status_code == 200
    return Contact.objects.get()


def test_message_send_calls_send_message_and_logs_an_outbound_message(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)
    activity = message_send(contact=anna, user=sales.manager, text="  We do, from 3 days.  ")
    assert telegram.requests == [(f"/bot{TOKEN}/sendMessage", {"chat_id": 5001, "text": "We do, from 3 days."})]
    assert (activity.kind, activity.direction, activity.channel, activity.origin, activity.external_id) == (
        "message",
        "out",
        "telegram",
        "messenger",
        "5001:901",
    )
    assert (activity.user, activity.contact, activity.body) == (sales.manager, anna, "We do, from 3 days.")
    assert activity.deal == anna.deals.get()
    assert activity.started_at == dt.datetime.fromtimestamp(1772431200, tz=dt.UTC)


def test_a_refused_send_raises_and_logs_nothing(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)
    blocked = "Forbidden: bot was blocked by the user"
    telegram.replies.append((403, {"ok": False, "error_code": 403, "description": blocked}))
    with pytest.raises(ServiceError, match="bot was blocked by the user"):
        message_send(contact=anna, user=sales.manager, text="Hello?")
    assert Activity.objects.filter(direction="out").count() == 0


def test_flood_control_reports_retry_after_and_a_later_retry_is_logged_once(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)
    telegram.replies.append(
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 3",
                "parameters": {"retry_after": 3},
            },
        )
    )
    with pytest.raises(ServiceError, match=r"retry after 3 s"):
        message_send(contact=anna, user=sales.manager, text="Hello")
    message_send(contact=anna, user=sales.manager, text="Hello")
    assert len(telegram.requests) == 2
    assert list(Activity.objects.filter(direction="out").values_list("external_id", flat=True)) == ["5001:901"]


def test_an_unreachable_bot_api_is_a_clear_error(sales: Any) -> None:
    integration_configure("telegram", token=TOKEN, secret_token=SECRET, api_base="http://127.0.0.1:9")
    anna = contact_create(name="Anna")
    from salescope.messaging.models import TelegramChat

    TelegramChat.objects.create(chat_id=5001, contact=anna)
    with pytest.raises(ServiceError, match="Bot API unreachable"):
        message_send(contact=anna, user=sales.manager, text="Hello")


@pytest.mark.parametrize(
    ("text", "field"), [("   ", "text: the message is empty"), ("x" * 4097, "text: a Telegram message holds at most")]
)
def test_bad_text_is_refused_before_sending(telegram: BotApi, sales: Any, text: str, field: str) -> None:
    anna = _chat_with_anna(sales)
    with pytest.raises(ServiceError, match=field):
        message_send(contact=anna, user=sales.manager, text=text)
    assert telegram.requests == []


def test_a_contact_without_a_chat_cannot_be_messaged(telegram: BotApi, sales: Any) -> None:
    with pytest.raises(ServiceError, match="has never written to the bot"):
        message_send(contact=contact_create(name="Oleg", ref="c-oleg"), user=sales.manager, text="Hi")


def _client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_send_view_needs_a_login(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)
    response = Client().post(f"/messaging/send/{anna.ref}/", {"text": "Hi"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert telegram.requests == []


def test_the_send_view_is_scoped_to_the_users_contacts(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)  # owned by kolya (owner_ref in the integration settings)
    response = _client_for(sales.other).post(f"/messaging/send/{anna.ref}/", {"text": "Hi"})
    assert response.status_code == 404
    assert telegram.requests == []


def test_the_send_view_redirects_back(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)
    response = _client_for(sales.manager).post(f"/messaging/send/{anna.ref}/", {"text": "Hi", "next": "/contacts/x/"})
    assert (response.status_code, response["Location"]) == (302, "/contacts/x/")
    assert Activity.objects.filter(direction="out", body="Hi").count() == 1


def test_the_send_view_ignores_an_off_site_next(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)
    response = _client_for(sales.manager).post(
        f"/messaging/send/{anna.ref}/", {"text": "Hi", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_send_view_answers_htmx_with_a_partial(telegram: BotApi, sales: Any) -> None:
    anna = _chat_with_anna(sales)
    client = _client_for(sales.manager)
    ok = client.post(f"/messaging/send/{anna.ref}/", {"text": "On my way"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    assert b"On my way" in ok.content and f'id="telegram-send-result-{anna.ref}"'.encode() in ok.content
    bad = client.post(f"/messaging/send/{anna.ref}/", {"text": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    assert b'role="alert"' in bad.content
