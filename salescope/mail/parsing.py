"""Reading an RFC 5322 letter into the few things the timeline keeps."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

from django.utils.html import strip_tags

MSG_ID = re.compile(r"<[^<>\s]+>")


class MailParseError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    from_address: str
    from_name: str
    subject: str
    body: str
    sent_at: dt.datetime | None


def message_ids(value: str) -> list[str]:
    """The `<id>` tokens of a Message-ID / In-Reply-To / References header, in order."""
    return MSG_ID.findall(value or "")


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot decode
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _date(msg: Message) -> dt.datetime | None:
    raw = _header(msg, "Date")
    try:
        when = parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError, IndexError):
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when


def _body(msg: Message) -> str:
    part = msg.get_body(preferencelist=("plain", "html")) if isinstance(msg, EmailMessage) else None
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError):  # unknown or broken charset
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(text, str):
        return ""
    if part.get_content_subtype() == "html":
        text = html.unescape(strip_tags(text))
    return text.strip()


def mail_parse(raw: bytes) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    senders = [(name, addr) for name, addr in getaddresses([_header(msg, "From")]) if "@" in addr]
    if not senders:
        raise MailParseError("From", "the letter has no sender address")
    name, address = senders[0]
    ids = message_ids(_header(msg, "Message-ID"))
    # A letter without a Message-ID gets a stable one from its bytes, so a re-read is still a duplicate.
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.salescope>"
    replied = message_ids(_header(msg, "In-Reply-To"))
    return ParsedMail(
        message_id=message_id,
        in_reply_to=replied[0] if replied else "",
        references=tuple(message_ids(_header(msg, "References"))),
        from_address=address.strip().lower(),
        from_name=name.strip(),
        subject=_header(msg, "Subject")[:500],
        body=_body(msg),
        sent_at=_date(msg),
    )
