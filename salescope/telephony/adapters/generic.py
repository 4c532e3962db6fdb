"""The generic JSON call webhook (docs/telephony.md), optionally signed with HMAC-SHA256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from urllib.request import Request

from django.http import HttpRequest

from salescope.core.timeutil import parse_instant

from ..events import HIDDEN_NUMBERS, CallEvent, EventError, Stage, client_number, non_negative_int
from . import json_object, text_field

KEY = "generic"
SIGNATURE_HEADER = "X-Salescope-Signature"
STAGES = {
    "start": Stage.STARTED,
    "ring": Stage.RINGING,
    "answer": Stage.ANSWERED,
    "end": Stage.ENDED,
    "summary": Stage.SUMMARY,
    "record": Stage.RECORDING,
}


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(request: HttpRequest, config: Mapping[str, Any]) -> bool:
    """Unsigned requests are accepted only while no `secret` is configured."""
    secret = config.get("secret")
    if not secret:
        return True
    given = request.headers.get(SIGNATURE_HEADER, "")
    return hmac.compare_digest(given.encode(), signature(str(secret), request.body).encode())


def _time(data: Mapping[str, Any], name: str) -> dt.datetime | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise EventError(name, str(exc)) from exc


def parse(request: HttpRequest, config: Mapping[str, Any], received_at: dt.datetime) -> list[CallEvent]:
    return [event_from_json(json_object(request.body))]


def event_from_json(data: Mapping[str, Any]) -> CallEvent:
    kind = text_field(data, "event") or "end"
    if kind not in STAGES:
        raise EventError("event", f"must be one of {', '.join(STAGES)}, not {kind!r}")
    direction = text_field(data, "direction", required=kind != "record")
    recording = text_field(data, "recording_url")
    if recording and urlsplit(recording).scheme not in ("http", "https"):
        raise EventError("recording_url", "expected an http(s) URL")
    raw_client = text_field(data, "client")
    client = client_number(raw_client)
    if raw_client and not client and raw_client.lower() not in HIDDEN_NUMBERS:
        raise EventError("client", f"not a phone number: {raw_client!r}")
    return CallEvent(
        provider=KEY,
        call_id=text_field(data, "call_id", required=True),
        stage=STAGES[kind],
        direction=direction,
        client_number=client,
        our_number=client_number(text_field(data, "line")),
        extension=text_field(data, "extension"),
        started_at=_time(data, "started_at"),
        answered_at=_time(data, "answered_at"),
        ended_at=_time(data, "ended_at"),
        outcome=text_field(data, "outcome"),
        wait_s=non_negative_int(data.get("wait_s"), "wait_s"),
        talk_s=non_negative_int(data.get("talk_s"), "talk_s"),
        recording_ref=recording,
    )


def recording_request(ref: str, config: Mapping[str, Any]) -> Request:
    """The generic webhook sends a plain URL; an optional `recording_auth_header` is sent with the download."""
    headers = {"Authorization": str(config["recording_auth_header"])} if config.get("recording_auth_header") else {}
    return Request(ref, headers=headers)
