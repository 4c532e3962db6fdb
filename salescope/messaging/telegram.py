"""Telegram Bot API updates turned into our own small records at the boundary.

Update fields: https://core.telegram.org/bots/api#update and #message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

MEDIA_KINDS = ("photo", "video", "document", "voice", "audio", "video_note", "sticker", "animation", "location")


class UpdateError(ValueError):
    """The payload is not a Telegram update we can read; the message names the field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class IncomingMessage:
    chat_id: int
    message_id: int
    sent_at: dt.datetime
    text: str
    name: str
    username: str
    phone: str

    @property
    def external_id(self) -> str:
        """message_id is unique only within its chat, so the chat is part of the id."""
        return f"{self.chat_id}:{self.message_id}"


@dataclass(frozen=True)
class Update:
    update_id: int
    message: IncomingMessage | None  # None: an update kind we acknowledge but do not store


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UpdateError(path, "must be an integer")
    return value


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UpdateError(path, "must be an object")
    return value


def _str(value: Any, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UpdateError(path, "must be a string")
    return value


def _instant(value: Any) -> dt.datetime:
    seconds = _int(value, "message.date")
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise UpdateError("message.date", "not a Unix time") from exc


def _text(message: dict[str, Any]) -> str:
    text = _str(message.get("text"), "message.text") or _str(message.get("caption"), "message.caption")
    if text:
        return text
    if "contact" in message:
        return "[contact]"
    kind = next((k for k in MEDIA_KINDS if k in message), "message")
    return f"[{kind}]"


def _sender_name(sender: dict[str, Any], chat: dict[str, Any], chat_id: int) -> str:
    first = _str(sender.get("first_name") or chat.get("first_name"), "message.from.first_name")
    last = _str(sender.get("last_name") or chat.get("last_name"), "message.from.last_name")
    full = f"{first} {last}".strip()
    if full:
        return full
    title = _str(chat.get("title"), "message.chat.title")
    username = _str(sender.get("username") or chat.get("username"), "message.from.username")
    return title or (f"@{username}" if username else f"Telegram {chat_id}")


def _shared_phone(message: dict[str, Any], sender_id: int | None) -> str:
    shared = message.get("contact")
    if not isinstance(shared, dict):
        return ""
    owner = shared.get("user_id")
    if owner is not None and sender_id is not None and owner != sender_id:
        return ""  # someone else's card forwarded into the chat, not the client's own number
    return _str(shared.get("phone_number"), "message.contact.phone_number")


def update_parse(payload: Any) -> Update:
    """Read an Update; only `message` is stored, other kinds (edits, button presses, blocks) are acknowledged."""
    update = _object(payload, "update")
    update_id = _int(update.get("update_id"), "update_id")
    if update.get("message") is None:
        return Update(update_id=update_id, message=None)
    message = _object(update["message"], "message")
    chat = _object(message.get("chat"), "message.chat")
    chat_id = _int(chat.get("id"), "message.chat.id")
    sender = _object(message.get("from") or {}, "message.from")
    sender_id = sender.get("id") if isinstance(sender.get("id"), int) else None
    return Update(
        update_id=update_id,
        message=IncomingMessage(
            chat_id=chat_id,
            message_id=_int(message.get("message_id"), "message.message_id"),
            sent_at=_instant(message.get("date")),
            text=_text(message),
            name=_sender_name(sender, chat, chat_id)[:300],
            username=_str(sender.get("username") or chat.get("username"), "message.from.username")[:100],
            phone=_shared_phone(message, sender_id),
        ),
    )
