"""Telegram in (webhook updates) and out (sendMessage), written to the client's timeline."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.activities.services import activity_record
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.core.phones import InvalidPhone, normalize_phone
from salescope.deals.models import Deal
from salescope.integrations.leads import intake_routing, lead_intake, open_deal_of
from salescope.integrations.services import integration_config

from .botapi import BotApiError, bot_api_call
from .models import TelegramChat, TelegramUpdate
from .telegram import IncomingMessage, Update, update_parse

INTEGRATION = "telegram"
ORIGIN = "messenger"
CHANNEL = "telegram"
MAX_TEXT = 4096


class Outcome(enum.StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


def _valid_phones(raw: str) -> list[str]:
    try:
        return [normalize_phone(raw)] if raw else []
    except InvalidPhone:
        return []


def _chat_contact(message: IncomingMessage, config: dict[str, Any]) -> tuple[Contact, Deal | None]:
    chat = TelegramChat.objects.select_related("contact").filter(chat_id=message.chat_id).first()
    if chat is not None:
        return chat.contact, open_deal_of(chat.contact)
    intake = lead_intake(
        name=message.name,
        phones=_valid_phones(message.phone),
        at=message.sent_at,
        source=str(config.get("source") or "telegram"),
        title="Telegram",
        **intake_routing(config),
    )
    TelegramChat.objects.create(
        chat_id=message.chat_id, contact=intake.contact, username=message.username, created_at=message.sent_at
    )
    return intake.contact, intake.deal or open_deal_of(intake.contact)


def telegram_update_handle(payload: Any, config: dict[str, Any]) -> Outcome:
    """Store an update's message as an inbound message; a re-sent update or message is stored once.

    Raises UpdateError (a ValueError) when the payload is not an update.
    """
    update = update_parse(payload)
    for attempt in (1, 2):
        try:
            return _update_store(update, config)
        except IntegrityError:
            if _already_stored(update):  # the same update or message processed by a concurrent request
                return Outcome.DUPLICATE
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _already_stored(update: Update) -> bool:
    if TelegramUpdate.objects.filter(update_id=update.update_id).exists():
        return True
    message = update.message
    return message is not None and Activity.objects.filter(origin=ORIGIN, external_id=message.external_id).exists()


@transaction.atomic
def _update_store(update: Update, config: dict[str, Any]) -> Outcome:
    """One attempt; a concurrent first message of the same new chat makes it fail and be tried again."""
    if _already_stored(update):
        return Outcome.DUPLICATE
    TelegramUpdate.objects.create(update_id=update.update_id)
    message = update.message
    if message is None:
        return Outcome.IGNORED
    contact, deal = _chat_contact(message, config)
    activity_record(
        kind="message",
        direction="in",
        started_at=message.sent_at,
        contact=contact,
        deal=deal,
        user=contact.owner,
        channel=CHANNEL,
        origin=ORIGIN,
        external_id=message.external_id,
        body=message.text,
    )
    return Outcome.STORED


def chat_of(contact: Contact) -> TelegramChat | None:
    return TelegramChat.objects.filter(contact=contact).order_by("-created_at", "-id").first()


def message_send(*, contact: Contact, user: User, text: str) -> Activity:
    """Send `text` to the contact's Telegram chat and log it as an outbound message by `user`."""
    text = text.strip()
    if not text:
        raise ServiceError("text", "the message is empty")
    if len(text) > MAX_TEXT:
        raise ServiceError("text", f"a Telegram message holds at most {MAX_TEXT} characters, not {len(text)}")
    config = integration_config(INTEGRATION)
    if config is None:
        raise ServiceError("telegram", "the Telegram integration is off")
    chat = chat_of(contact)
    if chat is None:
        raise ServiceError("contact", f"{contact.ref} has never written to the bot")
    try:
        sent = bot_api_call(config, "sendMessage", {"chat_id": chat.chat_id, "text": text})
    except BotApiError as exc:
        wait = f" (retry after {exc.retry_after} s)" if exc.retry_after else ""
        raise ServiceError("telegram", f"{exc}{wait}") from exc
    message_id = sent.get("message_id") if isinstance(sent, dict) else None
    date = sent.get("date") if isinstance(sent, dict) else None
    started_at = dt.datetime.fromtimestamp(date, tz=dt.UTC) if isinstance(date, int) else timezone.now()
    return activity_record(
        kind="message",
        direction="out",
        started_at=started_at,
        user=user,
        contact=contact,
        deal=open_deal_of(contact),
        channel=CHANNEL,
        origin=ORIGIN,
        external_id=f"{chat.chat_id}:{message_id}" if isinstance(message_id, int) else "",
        body=text,
    )
