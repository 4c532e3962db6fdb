"""The provider-neutral call event every adapter produces, and the error a malformed payload raises."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any

from salescope.core.phones import InvalidPhone, normalize_phone

DIRECTIONS = ("in", "out")
OUTCOMES = ("answered", "missed", "busy", "failed")


class Stage(IntEnum):
    """How far into the call an event is. A later stage may overwrite what an earlier one said."""

    RECORDING = 0
    STARTED = 1
    RINGING = 2
    ANSWERED = 3
    ENDED = 4
    SUMMARY = 5


class EventError(ValueError):
    """A payload we cannot read; the message names the field and the reason."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class CallEvent:
    """One thing a provider told us about one call. Empty values mean "not said here"."""

    provider: str
    call_id: str
    stage: Stage
    direction: str = ""  # "in" | "out" ("" when this event does not say)
    client_number: str = ""  # E.164 (see client_number())
    our_number: str = ""  # our line / DID, E.164 when it parses
    extension: str = ""  # the manager's extension
    started_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    outcome: str = ""  # answered | missed | busy | failed
    wait_s: int | None = None
    talk_s: int | None = None
    recording_ref: str = ""  # the provider's handle or URL of the recording

    def __post_init__(self) -> None:
        if not self.call_id:
            raise EventError("call_id", "missing")
        if len(self.call_id) > 200:
            raise EventError("call_id", "longer than 200 characters")
        if self.direction not in ("", *DIRECTIONS):
            raise EventError("direction", f"must be 'in' or 'out', not {self.direction!r}")
        if self.outcome not in ("", *OUTCOMES):
            raise EventError("outcome", f"must be one of {', '.join(OUTCOMES)}, not {self.outcome!r}")
        for name in ("wait_s", "talk_s"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise EventError(name, "must be ≥ 0")
        for name in ("started_at", "answered_at", "ended_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise EventError(name, "a time without a time zone")
        if len(self.extension) > 20:
            raise EventError("extension", "longer than 20 characters")

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready form, kept with the queued raw event until a worker ingests it."""
        record = asdict(self)
        record["stage"] = int(self.stage)
        for name in ("started_at", "answered_at", "ended_at"):
            if record[name] is not None:
                record[name] = record[name].isoformat()
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> CallEvent:
        values = dict(record)
        values["stage"] = Stage(values["stage"])
        for name in ("started_at", "answered_at", "ended_at"):
            if values.get(name) is not None:
                values[name] = dt.datetime.fromisoformat(values[name])
        return cls(**values)


HIDDEN_NUMBERS = {"anonymous", "unknown", "private", "restricted", "unavailable"}


def client_number(raw: str | None) -> str:
    """The E.164 form of an outside party's number, or "" for hidden numbers, SIP URIs and extensions."""
    text = (raw or "").strip()
    if not text or text.lower() in HIDDEN_NUMBERS or text.lower().startswith(("sip:", "sips:")) or "@" in text:
        return ""
    if len(re.sub(r"\D", "", text)) <= 5:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        return normalize_phone(text)
    except InvalidPhone:
        return ""


def non_negative_int(value: object, field: str) -> int | None:
    """An integer ≥ 0 from a JSON number or a digit string; None for absent/empty values."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise EventError(field, f"expected a whole number of seconds, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raise EventError(field, f"expected a whole number of seconds, got {value!r}")
    if number < 0:
        raise EventError(field, "must be ≥ 0")
    return number
