"""Mango Office VPBX events: form POSTs of vpbx_api_key, sign = sha256(api_key + json + api_salt), json.

Mango calls our base URL plus a suffix per event: events/call, events/summary, events/record/added,
events/recording, ping. The summary is the call's final record; events/call give the live start and answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request

from django.http import HttpRequest

from ..events import CallEvent, EventError, Stage, client_number
from . import json_object, text_field

KEY = "mango"
API_URL = "https://app.mango-office.ru/vpbx"


def sign(api_key: str, body: str, salt: str) -> str:
    return hashlib.sha256((api_key + body + salt).encode()).hexdigest()


def verify(request: HttpRequest, config: Mapping[str, Any]) -> bool:
    key, salt = config.get("api_key"), config.get("api_salt")
    if not key or not salt:
        return False
    given_key = request.POST.get("vpbx_api_key", "")
    expected = sign(str(key), request.POST.get("json", ""), str(salt))
    return hmac.compare_digest(given_key.encode(), str(key).encode()) and hmac.compare_digest(
        request.POST.get("sign", "").encode(), expected.encode()
    )


def _instant(data: Mapping[str, Any], name: str) -> dt.datetime | None:
    value = data.get(name)
    if value in (None, "", 0, "0"):
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError) as exc:
        raise EventError(name, f"expected Unix seconds, got {value!r}") from exc


def _party(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name) or {}
    if not isinstance(value, dict):
        raise EventError(name, "expected an object")
    return value


def parse(request: HttpRequest, config: Mapping[str, Any], received_at: dt.datetime) -> list[CallEvent]:
    event = str(request.resolver_match.kwargs.get("event", "")) if request.resolver_match else ""
    if "json" not in request.POST:
        raise EventError("json", "missing")
    return events_from_json(event, json_object(request.POST["json"], "json"))


def events_from_json(event: str, data: Mapping[str, Any]) -> list[CallEvent]:
    if event == "events/summary":
        return _summary(data)
    if event == "events/call":
        return _call(data)
    if event == "events/record/added":
        return [
            CallEvent(
                provider=KEY,
                call_id=text_field(data, "entry_id", required=True),
                stage=Stage.RECORDING,
                recording_ref=text_field(data, "recording_id", required=True),
            )
        ]
    return []  # ping, events/recording, dtmf, sms: nothing to store


def _summary(data: Mapping[str, Any]) -> list[CallEvent]:
    call_id = text_field(data, "entry_id", required=True)
    direction = {"1": "in", "2": "out", "0": ""}.get(text_field(data, "call_direction", required=True))
    if direction is None:
        raise EventError("call_direction", "expected 0, 1 or 2")
    if not direction:
        return []  # an internal call between employees
    source, target = _party(data, "from"), _party(data, "to")
    client, manager = (source, target) if direction == "in" else (target, source)
    answered = text_field(data, "entry_result") == "1"
    talk_at, end_at = _instant(data, "talk_time"), _instant(data, "end_time")
    talk_s = int((end_at - talk_at).total_seconds()) if answered and talk_at and end_at else None
    return [
        CallEvent(
            provider=KEY,
            call_id=call_id,
            stage=Stage.SUMMARY,
            direction=direction,
            client_number=client_number(text_field(client, "number")),
            our_number=client_number(text_field(data, "line_number")),
            extension=text_field(manager, "extension"),
            started_at=_instant(data, "create_time"),
            answered_at=talk_at if answered else None,
            ended_at=end_at,
            outcome="answered" if answered else "missed",
            talk_s=max(0, talk_s) if talk_s is not None else None,
        )
    ]


def _call(data: Mapping[str, Any]) -> list[CallEvent]:
    call_id = text_field(data, "entry_id", required=True)
    state = text_field(data, "call_state", required=True)
    source, target = _party(data, "from"), _party(data, "to")
    from_ext, to_ext = text_field(source, "extension"), text_field(target, "extension")
    if from_ext and to_ext:
        return []  # an internal call between employees
    direction = "out" if from_ext else "in"
    at = _instant(data, "timestamp")
    base: dict[str, Any] = {
        "provider": KEY,
        "call_id": call_id,
        "direction": direction,
        "client_number": client_number(text_field(target if direction == "out" else source, "number")),
        "our_number": client_number(text_field(target, "line_number") or text_field(source, "line_number")),
        "extension": from_ext if direction == "out" else to_ext,
    }
    if state == "Appeared":
        return [CallEvent(**base, stage=Stage.RINGING if base["extension"] else Stage.STARTED, started_at=at)]
    if state == "Connected" and (direction == "out" or text_field(data, "location") == "abonent"):
        return [CallEvent(**base, stage=Stage.ANSWERED, answered_at=at)]
    if state in ("Appeared", "Connected", "OnHold", "Disconnected"):
        return []  # IVR/queue legs and hang-ups: the summary closes the call
    raise EventError("call_state", f"unknown state {state!r}")


def recording_request(ref: str, config: Mapping[str, Any]) -> Request:
    """POST queries/recording/post (signed); Mango answers with a redirect to a temporary mp3 link."""
    body = json.dumps({"recording_id": ref, "action": "download"}, separators=(",", ":"))
    key, salt = str(config.get("api_key", "")), str(config.get("api_salt", ""))
    form = urlencode({"vpbx_api_key": key, "sign": sign(key, body, salt), "json": body}).encode()
    url = f"{str(config.get('api_url') or API_URL).rstrip('/')}/queries/recording/post"
    return Request(url, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
