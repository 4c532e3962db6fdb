"""Asterisk AMI: one call assembled from Newchannel / DialBegin / DialEnd / Hangup / Cdr events.

Events of one call share `Linkedid` (the Uniqueid of its first channel), used as the call id.
Direction comes from settings: the first channel is a trunk channel (name prefix) or sits in an
inbound context → inbound; otherwise it is a manager's phone calling out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote
from urllib.request import Request

from django.conf import settings

from ..events import CallEvent, EventError, Stage, client_number

KEY = "asterisk"
DIAL_OUTCOMES = {"ANSWER": "answered", "BUSY": "busy", "CHANUNAVAIL": "failed", "CONGESTION": "failed"}
CDR_OUTCOMES = {"ANSWERED": "answered", "BUSY": "busy", "FAILED": "failed", "CONGESTION": "failed"}
_RANK = {"answered": 3, "busy": 2, "failed": 1, "missed": 0}
MAX_OPEN_CALLS = 10_000


@dataclass(frozen=True)
class AsteriskSettings:
    trunk_prefixes: tuple[str, ...] = ()
    inbound_contexts: tuple[str, ...] = ("from-trunk", "from-pstn", "from-external", "from-did-direct")
    timezone: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AsteriskSettings:
        def strings(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
            value = config.get(name)
            return tuple(str(v) for v in value) if isinstance(value, list | tuple) else default

        return cls(
            trunk_prefixes=strings("trunk_prefixes", ()),
            inbound_contexts=strings("inbound_contexts", cls.inbound_contexts),
            timezone=str(config.get("timezone") or ""),
        )

    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone or settings.TIME_ZONE)

    def is_inbound(self, channel: str, context: str) -> bool:
        return context in self.inbound_contexts or any(channel.startswith(p) for p in self.trunk_prefixes if p)


def _dialled_extension(m: Mapping[str, str]) -> str:
    """The manager's extension on a dialled leg: DestExten, DestCallerIDNum or the channel's resource
    (PJSIP/101-000001a3, Local/101@from-internal-0001;1), whichever looks like an extension."""
    resource = m.get("DestChannel", "").partition("/")[2]
    resource = resource.split("@")[0].rsplit("-", 1)[0] if "@" not in resource else resource.split("@")[0]
    for candidate in (m.get("DestExten", ""), m.get("DestCallerIDNum", ""), resource):
        candidate = candidate.strip()
        if candidate.isdigit() and 2 <= len(candidate) <= 6:
            return candidate
    return ""


@dataclass
class _Call:
    direction: str
    client: str
    our_number: str
    extension: str
    legs: dict[str, str] = field(default_factory=dict)  # dialled channel's Uniqueid -> extension
    outcome: str = ""
    answered: bool = False
    talk_s: int | None = None


class CallAssembler:
    """Feed AMI messages in arrival order; get back the CallEvents they amount to."""

    def __init__(self, options: AsteriskSettings) -> None:
        self.options = options
        self.calls: OrderedDict[str, _Call | None] = OrderedDict()  # None = internal call, ignored

    def feed(self, message: Mapping[str, str], received_at: dt.datetime) -> list[CallEvent]:
        handler = {
            "Newchannel": self._newchannel,
            "DialBegin": self._dial_begin,
            "DialEnd": self._dial_end,
            "Hangup": self._hangup,
            "Cdr": self._cdr,
        }.get(message.get("Event", ""))
        return handler(message, self._when(message, received_at)) if handler else []

    @staticmethod
    def _when(message: Mapping[str, str], received_at: dt.datetime) -> dt.datetime:
        stamp = message.get("Timestamp", "")
        try:
            return dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC) if stamp else received_at
        except (ValueError, OverflowError):
            return received_at

    def _event(self, linkedid: str, call: _Call, stage: Stage, **values: Any) -> CallEvent:
        return CallEvent(
            provider=KEY,
            call_id=linkedid,
            stage=stage,
            direction=call.direction,
            client_number=call.client,
            our_number=call.our_number,
            extension=values.pop("extension", call.extension),
            **values,
        )

    def _remember(self, linkedid: str, call: _Call | None) -> None:
        self.calls[linkedid] = call
        while len(self.calls) > MAX_OPEN_CALLS:
            self.calls.popitem(last=False)

    def _newchannel(self, m: Mapping[str, str], at: dt.datetime) -> list[CallEvent]:
        linkedid = m.get("Linkedid", "")
        if not linkedid or m.get("Uniqueid") != linkedid or linkedid in self.calls:
            return []  # not the call's first channel, or seen already
        caller, exten = m.get("CallerIDNum", ""), m.get("Exten", "")
        if self.options.is_inbound(m.get("Channel", ""), m.get("Context", "")):
            call = _Call("in", client_number(caller), client_number(exten), "")
        else:
            call = _Call("out", client_number(exten), "", caller.strip())
            if not call.client:
                self._remember(linkedid, None)  # extension to extension
                return []
        self._remember(linkedid, call)
        return [self._event(linkedid, call, Stage.STARTED, started_at=at)]

    def _dial_begin(self, m: Mapping[str, str], at: dt.datetime) -> list[CallEvent]:
        linkedid = m.get("Linkedid", "")
        call = self.calls.get(linkedid)
        if call is None or call.direction != "in":
            return []
        extension = _dialled_extension(m)
        call.legs[m.get("DestUniqueid", "")] = extension
        return [self._event(linkedid, call, Stage.RINGING, extension=extension)] if extension else []

    def _dial_end(self, m: Mapping[str, str], at: dt.datetime) -> list[CallEvent]:
        linkedid = m.get("Linkedid", "")
        call = self.calls.get(linkedid)
        if call is None:
            return []
        outcome = DIAL_OUTCOMES.get(m.get("DialStatus", "").upper(), "missed")
        if _RANK[outcome] > _RANK.get(call.outcome, -1):
            call.outcome = outcome
        if outcome != "answered":
            return []
        call.answered = True
        if call.direction == "in":
            call.extension = call.legs.get(m.get("DestUniqueid", ""), "") or _dialled_extension(m)
        return [self._event(linkedid, call, Stage.ANSWERED, answered_at=at)]

    def _hangup(self, m: Mapping[str, str], at: dt.datetime) -> list[CallEvent]:
        linkedid = m.get("Linkedid", "")
        call = self.calls.get(linkedid)
        if call is None or m.get("Uniqueid") != linkedid:
            return []
        return [self._event(linkedid, call, Stage.ENDED, ended_at=at, outcome=call.outcome or "missed")]

    def _cdr_time(self, m: Mapping[str, str], name: str) -> dt.datetime | None:
        text = m.get(name, "").strip()
        if not text:
            return None
        try:
            return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=self.options.zone())
        except ValueError as exc:
            raise EventError(name, f"expected YYYY-MM-DD HH:MM:SS, got {text!r}") from exc

    def _cdr(self, m: Mapping[str, str], at: dt.datetime) -> list[CallEvent]:
        linkedid = m.get("LinkedID") or m.get("Linkedid") or m.get("UniqueID", "")
        if not linkedid:
            return []
        call = self.calls.get(linkedid)
        if call is None and linkedid in self.calls:
            return []  # an internal call
        if call is None:
            inbound = self.options.is_inbound(m.get("Channel", ""), m.get("DestinationContext", ""))
            source, destination = m.get("Source", ""), m.get("Destination", "")
            if inbound:
                call = _Call("in", client_number(source), "", destination.strip())
            else:
                call = _Call("out", client_number(destination), "", source.strip())
            if not call.client:
                return []
            self._remember(linkedid, call)
        disposition = CDR_OUTCOMES.get(m.get("Disposition", "").upper(), "missed")
        if call.legs and not call.answered and disposition == "answered":
            disposition = call.outcome or "missed"  # answered by an IVR, never by a manager
        if _RANK[disposition] > _RANK.get(call.outcome, -1):
            call.outcome = disposition
        billable = m.get("BillableSeconds", "").strip()
        if call.outcome == "answered" and billable.isdigit():
            call.talk_s = max(call.talk_s or 0, int(billable))
        recording = next((v for k, v in m.items() if k.lower() == "recordingfile" and v.strip()), "")
        return [
            self._event(
                linkedid,
                call,
                Stage.SUMMARY,
                started_at=self._cdr_time(m, "StartTime"),
                ended_at=self._cdr_time(m, "EndTime"),
                outcome=call.outcome,
                talk_s=call.talk_s if call.outcome == "answered" else None,
                recording_ref=recording.strip(),
            )
        ]


def recording_request(ref: str, config: Mapping[str, Any]) -> Request:
    """Recordings are served over HTTP from the PBX's monitor folder (`recordings_url`)."""
    base = str(config.get("recordings_url") or "")
    if not base:
        raise OSError("the asterisk settings have no recordings_url")
    return Request(f"{base.rstrip('/')}/{quote(ref.lstrip('/'))}")
