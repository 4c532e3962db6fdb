"""Parsing of bundle/API times and money: strict, never guessing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_instant(value: object) -> dt.datetime:
    """ISO 8601 with an offset or Z. A time without an offset is an error."""
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 time string")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {value!r}") from exc
    if "T" not in text and " " not in text:
        raise ValueError(f"a date is not a time: {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"time without an offset: {value!r}")
    return parsed


def parse_date(value: object) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"expected a date YYYY-MM-DD: {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not a valid date: {value!r}") from exc


def parse_month(value: object) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}", value):
        raise ValueError(f"expected a month YYYY-MM: {value!r}")
    year, month = int(value[:4]), int(value[5:])
    if not 1 <= month <= 12:
        raise ValueError(f"not a valid month: {value!r}")
    return dt.date(year, month, 1)


def parse_money(value: object) -> Decimal:
    """A decimal string with at most 2 places, never negative, never a float."""
    if not isinstance(value, str):
        raise ValueError(f"money must be a decimal string, got {type(value).__name__}")
    if not _MONEY.match(value):
        raise ValueError(f"not a non-negative amount with at most 2 decimals: {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the regex rules this out
        raise ValueError(f"not an amount: {value!r}") from exc


def format_money(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)).quantize(Decimal('0.01'))}"


def format_instant(value: dt.datetime) -> str:
    """ISO 8601 in the department's time zone, with its offset."""
    from django.utils import timezone

    return timezone.localtime(value).isoformat()
