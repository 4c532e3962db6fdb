"""Zadarma PBX notifications (form POSTs signed with the API secret) and its recording API.

Signature header: base64 of the lowercase hex HMAC-SHA1 of a per-event field concatenation
(github.com/zadarma/user-api-v1, lib/Webhook/*.php).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import zoneinfo
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.http import HttpRequest

from ..events import CallEvent, EventError, Stage, client_number, non_negative_int

KEY = "zadarma"
API_URL = "https://api.zadarma.com"
SIGNED_FIELDS = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
}
OUTCOMES = {"answered": "answered", "busy": "busy", "cancel": "missed", "no answer": "missed"}


def _hex_hmac_b64(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def signature(secret: str, fields: Mapping[str, str]) -> str:
    names = SIGNED_FIELDS.get(fields.get("event", ""), ("caller_id", "called_did", "call_start"))
    return _hex_hmac_b64(secret, "".join(fields.get(name, "") for name in names))


def verify(request: HttpRequest, config: Mapping[str, Any]) -> bool:
    secret = config.get("secret")
    if not secret:
        return False
    expected = signature(str(secret), request.POST.dict())
    return hmac.compare_digest(request.headers.get("Signature", "").encode(), expected.encode())


def _start(fields: Mapping[str, str], config: Mapping[str, Any]) -> dt.datetime | None:
    text = fields.get("call_start", "").strip()
    if not text:
        return None
    try:
        naive = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError as exc:
        raise EventError("call_start", f"expected YYYY-MM-DD HH:MM:SS, got {text!r}") from exc
    zone = str(config.get("timezone") or settings.TIME_ZONE)
    try:
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise EventError("timezone", f"unknown time zone {zone!r} in the zadarma settings") from exc


def _ext(value: str) -> str:
    """An extension, not a phone number (Zadarma puts either into `destination`)."""
    value = value.strip()
    return value if value and len(value) <= 5 and value.isdigit() else ""


def parse(request: HttpRequest, config: Mapping[str, Any], received_at: dt.datetime) -> list[CallEvent]:
    return events_from_fields(request.POST.dict(), config, received_at)


def events_from_fields(f: Mapping[str, str], config: Mapping[str, Any], received_at: dt.datetime) -> list[CallEvent]:
    kind = f.get("event", "")
    if not kind:
        raise EventError("event", "missing")
    if kind not in SIGNED_FIELDS:
        return []  # NOTIFY_IVR, SMS, speech recognition: not calls we record
    call_id = f.get("pbx_call_id", "").strip()
    if not call_id:
        raise EventError("pbx_call_id", "missing")
    base: dict[str, Any] = {"provider": KEY, "call_id": call_id}
    if kind == "NOTIFY_RECORD":
        return [CallEvent(**base, stage=Stage.RECORDING, recording_ref=f.get("call_id_with_rec", "").strip())]
    started = _start(f, config)
    if kind.startswith("NOTIFY_OUT_"):
        base.update(direction="out", client_number=client_number(f.get("destination")), started_at=started)
        base.update(extension=f.get("internal", "").strip(), our_number=client_number(f.get("caller_id")))
    else:
        base.update(direction="in", client_number=client_number(f.get("caller_id")), started_at=started)
        base.update(our_number=client_number(f.get("called_did")), extension=f.get("internal", "").strip())
    if kind in ("NOTIFY_START", "NOTIFY_OUT_START"):
        return [CallEvent(**base, stage=Stage.STARTED)]
    if kind == "NOTIFY_INTERNAL":
        return [CallEvent(**base, stage=Stage.RINGING)]
    if kind == "NOTIFY_ANSWER":
        base["extension"] = base["extension"] or _ext(f.get("destination", ""))
        return [CallEvent(**base, stage=Stage.ANSWERED, answered_at=received_at)]
    disposition = f.get("disposition", "").strip().lower()
    if not disposition:
        raise EventError("disposition", "missing")
    outcome = OUTCOMES.get(disposition, "failed")
    duration = non_negative_int(f.get("duration"), "duration")
    recorded = f.get("is_recorded", "").strip() == "1"
    return [
        CallEvent(
            **base,
            stage=Stage.ENDED,
            ended_at=received_at,
            outcome=outcome,
            talk_s=duration if outcome == "answered" else None,
            recording_ref=f.get("call_id_with_rec", "").strip() if recorded else "",
        )
    ]


def api_authorization(key: str, secret: str, method: str, params: Mapping[str, str]) -> str:
    """Zadarma API auth: key:base64(hex(HMAC-SHA1(secret, method + sorted query + md5(sorted query))))."""
    query = urlencode(sorted(params.items()))
    return f"{key}:{_hex_hmac_b64(secret, method + query + hashlib.md5(query.encode()).hexdigest())}"


def recording_request(ref: str, config: Mapping[str, Any]) -> Request:
    """Ask the API for a temporary link to the recording, then download from it."""
    method = "/v1/pbx/record/request/"
    params = {"call_id": ref, "format": "json"}
    auth = api_authorization(str(config.get("key", "")), str(config.get("secret", "")), method, params)
    url = f"{str(config.get('api_url') or API_URL).rstrip('/')}{method}?{urlencode(sorted(params.items()))}"
    with urlopen(Request(url, headers={"Authorization": auth}), timeout=30) as response:  # noqa: S310
        answer = json.loads(response.read())
    link = answer.get("link") or next(iter(answer.get("links") or []), None)
    if answer.get("status") != "success" or not link:
        raise OSError(f"zadarma gave no recording link: {answer.get('message') or answer}")
    return Request(str(link))
