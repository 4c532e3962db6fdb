"""One small module per provider: check the signature, read the payload, produce CallEvents."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Protocol

from django.http import HttpRequest

from ..events import CallEvent, EventError


class Adapter(Protocol):
    KEY: str

    def verify(self, request: HttpRequest, config: Mapping[str, Any]) -> bool: ...

    def parse(self, request: HttpRequest, config: Mapping[str, Any], received_at: dt.datetime) -> list[CallEvent]: ...


def json_object(text: str | bytes, field: str = "body") -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise EventError(field, f"not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise EventError(field, "expected a JSON object")
    return data


def text_field(data: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise EventError(name, "missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise EventError(name, f"expected text, got {type(value).__name__}")
    return str(value).strip()
