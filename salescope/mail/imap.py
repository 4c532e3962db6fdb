"""Incremental IMAP reading (RFC 3501): per folder, UIDVALIDITY and the last UID seen; new UIDs only."""

from __future__ import annotations

import ssl as ssl_module
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from imapclient import IMAPClient

from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_touch, raw_event_store

from .models import MailboxState
from .services import INTEGRATION, mail_ingest

BATCH = 50


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)


def _client(config: dict[str, Any]) -> IMAPClient:
    security = str(config.get("imap_security") or "ssl")  # ssl (993) | starttls | none
    port = int(config.get("imap_port") or (993 if security == "ssl" else 143))
    client = IMAPClient(str(config["imap_host"]), port=port, ssl=security == "ssl", timeout=30)
    if security == "starttls":
        client.starttls(ssl_module.create_default_context())
    client.login(str(config["imap_username"]), str(config["imap_password"]))
    return client


def mailbox_key(config: dict[str, Any]) -> str:
    folder = config.get("imap_folder") or "INBOX"
    return f"{config['imap_username']}@{config['imap_host']}:{config.get('imap_port') or ''}/{folder}"


def _read_new(client: IMAPClient, state: MailboxState, config: dict[str, Any], result: PollResult) -> None:
    uids = sorted(uid for uid in client.search(["UID", f"{state.last_uid + 1}:*"]) if uid > state.last_uid)
    for start in range(0, len(uids), BATCH):
        chunk = uids[start : start + BATCH]
        letters = client.fetch(chunk, ["BODY.PEEK[]"])
        for uid in chunk:
            raw = letters.get(uid, {}).get(b"BODY[]")
            if isinstance(raw, bytes):
                result.fetched += 1
                _ingest_one(raw, config, result)
            state.last_uid = uid  # advance past a rejected letter too: it is kept as a raw event for replay
            state.save(update_fields=["last_uid"])


def _ingest_one(raw: bytes, config: dict[str, Any], result: PollResult) -> None:
    try:
        ingested = mail_ingest(raw, config=config)
    except ValueError as exc:
        raw_event_store(integration=INTEGRATION, payload=raw, status=RawEvent.Status.REJECTED, error=str(exc))
        integration_touch(INTEGRATION, error=str(exc))
        result.rejected.append(str(exc))
        return
    integration_touch(INTEGRATION)
    if ingested.created:
        result.stored += 1
    else:
        result.duplicates += 1


def mailbox_poll(config: dict[str, Any]) -> PollResult:
    """Read the letters that arrived since the last poll; a changed UIDVALIDITY means reading the folder again."""
    for key in ("imap_host", "imap_username", "imap_password"):
        if not config.get(key):
            raise ValueError(f"mail settings: {key} is not set")
    result = PollResult()
    client = _client(config)
    try:
        info = client.select_folder(str(config.get("imap_folder") or "INBOX"), readonly=True)
        uidvalidity = int(info[b"UIDVALIDITY"])
        state, _ = MailboxState.objects.get_or_create(mailbox=mailbox_key(config)[:500])
        if state.uidvalidity != uidvalidity:
            state.uidvalidity, state.last_uid = uidvalidity, 0  # Message-IDs keep the re-read from duplicating
        state.polled_at = timezone.now()
        state.save()
        _read_new(client, state, config, result)
    finally:
        try:
            client.logout()
        except Exception:  # noqa: BLE001 - the connection may already be gone
            pass
    return result
