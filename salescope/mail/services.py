"""E-mail in (letters read from IMAP) and out (SMTP), written to the client's timeline with their thread."""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.activities.services import activity_record
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.integrations.leads import intake_routing, lead_intake, open_deal_of
from salescope.integrations.services import integration_config

from .models import MailMessage
from .parsing import ParsedMail, mail_parse, message_ids
from .threading import parent_of, references_after, thread_root_for

INTEGRATION = "mail"
ORIGIN = "mail"
CHANNEL = "email"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass(frozen=True)
class Ingested:
    activity: Activity
    created: bool


def external_id_for(message_id: str) -> str:
    """Activity.external_id holds 200 characters; a longer Message-ID is stored by its digest."""
    return message_id if len(message_id) <= 200 else "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()


def _store(parsed: ParsedMail, config: dict[str, Any]) -> Activity:
    parent = parent_of(parsed.in_reply_to, parsed.references)
    contact = parent.activity.contact if parent is not None else None
    deal = parent.activity.deal if parent is not None else None
    if contact is None:
        intake = lead_intake(
            name=parsed.from_name or parsed.from_address,
            emails=[parsed.from_address],
            at=parsed.sent_at,
            source=str(config.get("source") or "email"),
            title=parsed.subject[:300],
            **intake_routing(config),
        )
        contact, deal = intake.contact, intake.deal
    activity = activity_record(
        kind="email",
        direction="in",
        started_at=parsed.sent_at or timezone.now(),
        contact=contact,
        deal=deal or open_deal_of(contact),
        user=contact.owner,
        channel=CHANNEL,
        origin=ORIGIN,
        external_id=external_id_for(parsed.message_id),
        subject=parsed.subject,
        body=parsed.body,
    )
    MailMessage.objects.create(
        activity=activity,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references=" ".join(parsed.references),
        thread_root=thread_root_for(parsed.message_id, parsed.in_reply_to, parsed.references, parent),
    )
    return activity


def mail_ingest(raw: bytes, *, config: dict[str, Any] | None = None) -> Ingested:
    """Store an inbound letter once per Message-ID. Raises MailParseError (a ValueError) for an unreadable one."""
    parsed = mail_parse(raw)
    known = MailMessage.objects.select_related("activity").filter(message_id=parsed.message_id).first()
    if known is not None:
        return Ingested(known.activity, created=False)
    try:
        with transaction.atomic():
            return Ingested(_store(parsed, config or {}), created=True)
    except IntegrityError:  # stored meanwhile by a concurrent poll
        known = MailMessage.objects.select_related("activity").filter(message_id=parsed.message_id).first()
        if known is None:
            raise
        return Ingested(known.activity, created=False)


def _smtp_connection(config: dict[str, Any]) -> Any:
    security = str(config.get("smtp_security") or ("starttls" if settings.EMAIL_USE_TLS else "none"))
    return get_connection(
        SMTP_BACKEND,
        host=str(config.get("smtp_host") or settings.EMAIL_HOST),
        port=int(config.get("smtp_port") or settings.EMAIL_PORT),
        username=str(config.get("smtp_username", settings.EMAIL_HOST_USER)),
        password=str(config.get("smtp_password", settings.EMAIL_HOST_PASSWORD)),
        use_tls=security == "starttls",
        use_ssl=security == "ssl",
        timeout=int(config.get("smtp_timeout") or 20),
        fail_silently=False,
    )


def _recipient(contact: Contact) -> str:
    address = contact.emails.order_by("position", "id").values_list("address", flat=True).first()
    if not address:
        raise ServiceError("contact", f"{contact.ref} has no e-mail address")
    return address


def mail_send(*, contact: Contact, user: User, subject: str, body: str, in_reply_to: str = "") -> Activity:
    """Send a letter over SMTP and log it as an outbound e-mail with its Message-ID.

    `in_reply_to` (a Message-ID) makes it a reply: In-Reply-To and References are set and it joins that thread.
    """
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise ServiceError("subject", "a letter needs a subject")
    if not body:
        raise ServiceError("body", "the letter is empty")
    parent_ids = message_ids(in_reply_to)
    if in_reply_to and not parent_ids:
        raise ServiceError("in_reply_to", f"not a Message-ID: {in_reply_to!r}")
    config = integration_config(INTEGRATION) or {}
    sender = str(config.get("from_address") or settings.DEFAULT_FROM_EMAIL)
    message_id = make_msgid(domain=str(config.get("message_id_domain") or sender.rpartition("@")[2] or "localhost"))
    headers = {"Message-ID": message_id}
    parent = None
    references: list[str] = []
    if parent_ids:
        parent = MailMessage.objects.filter(message_id=parent_ids[0]).first()
        references = references_after(parent_ids[0], parent)
        headers.update({"In-Reply-To": parent_ids[0], "References": " ".join(references)})
    letter = EmailMessage(subject, body, sender, [_recipient(contact)], headers=headers)
    try:
        _smtp_connection(config).send_messages([letter])
    except (smtplib.SMTPException, OSError) as exc:
        raise ServiceError("smtp", f"the letter was not sent: {exc}") from exc
    with transaction.atomic():
        activity = activity_record(
            kind="email",
            direction="out",
            started_at=timezone.now(),
            user=user,
            contact=contact,
            deal=open_deal_of(contact),
            channel=CHANNEL,
            origin=ORIGIN,
            external_id=external_id_for(message_id),
            subject=subject,
            body=body,
        )
        MailMessage.objects.create(
            activity=activity,
            message_id=message_id,
            in_reply_to=parent_ids[0] if parent_ids else "",
            references=" ".join(references),
            thread_root=thread_root_for(message_id, parent_ids[0] if parent_ids else "", references, parent),
        )
    return activity
