from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salescope.activities.models import Activity
from salescope.followups.models import Task
from salescope.integrations.models import Integration
from salescope.integrations.services import integration_configure
from salescope.telephony.adapters.asterisk import AsteriskSettings, CallAssembler
from salescope.telephony.ami import format_action
from salescope.telephony.events import Stage
from salescope.telephony.models import Call
from salescope.telephony.services import call_ingest

from .conftest import KNOWN, Department

LINKEDID = "1720008131.418"
T = 1783080131.0  # 2026-07-03 12:02:11 UTC (15:02:11 in Moscow, as in the Cdr)


def inbound_answered() -> list[dict[str, str]]:
    trunk = {"Channel": "PJSIP/provider-000001a2", "Uniqueid": LINKEDID, "Linkedid": LINKEDID}
    return [
        {
            "Event": "Newchannel",
            **trunk,
            "ChannelState": "0",
            "ChannelStateDesc": "Down",
            "CallerIDNum": "79161234567",
            "CallerIDName": "",
            "Context": "from-trunk",
            "Exten": "74950000000",
            "Timestamp": f"{T:.6f}",
        },
        {
            "Event": "Newchannel",
            "Channel": "PJSIP/101-000001a3",
            "Uniqueid": "1720008133.419",
            "Linkedid": LINKEDID,
            "CallerIDNum": "101",
            "Context": "from-internal",
            "Exten": "s",
            "Timestamp": f"{T + 2:.6f}",
        },
        {
            "Event": "DialBegin",
            **trunk,
            "DestChannel": "PJSIP/101-000001a3",
            "DestUniqueid": "1720008133.419",
            "DestExten": "s",
            "DestCallerIDNum": "79161234567",
            "DialString": "101",
            "Timestamp": f"{T + 2:.6f}",
        },
        {
            "Event": "DialBegin",
            **trunk,
            "DestChannel": "PJSIP/102-000001a4",
            "DestUniqueid": "1720008133.420",
            "DestExten": "s",
            "DestCallerIDNum": "79161234567",
            "DialString": "102",
            "Timestamp": f"{T + 2:.6f}",
        },
        {
            "Event": "DialEnd",
            **trunk,
            "DestChannel": "PJSIP/101-000001a3",
            "DestUniqueid": "1720008133.419",
            "DialStatus": "CANCEL",
            "Timestamp": f"{T + 8:.6f}",
        },
        {
            "Event": "DialEnd",
            **trunk,
            "DestChannel": "PJSIP/102-000001a4",
            "DestUniqueid": "1720008133.420",
            "DialStatus": "ANSWER",
            "Timestamp": f"{T + 8:.6f}",
        },
        {
            "Event": "Hangup",
            "Channel": "PJSIP/102-000001a4",
            "Uniqueid": "1720008133.420",
            "Linkedid": LINKEDID,
            "Cause": "16",
            "Cause-txt": "Normal Clearing",
            "Timestamp": f"{T + 95:.6f}",
        },
        {"Event": "Hangup", **trunk, "Cause": "16", "Cause-txt": "Normal Clearing", "Timestamp": f"{T + 95:.6f}"},
        {
            "Event": "Cdr",
            "AccountCode": "",
            "Source": "79161234567",
            "Destination": "101",
            "DestinationContext": "from-trunk",
            "CallerID": '"79161234567" <79161234567>',
            "Channel": "PJSIP/provider-000001a2",
            "DestinationChannel": "PJSIP/102-000001a4",
            "LastApplication": "Dial",
            "StartTime": "2026-07-03 15:02:11",
            "AnswerTime": "2026-07-03 15:02:13",
            "EndTime": "2026-07-03 15:03:46",
            "Duration": "95",
            "BillableSeconds": "87",
            "Disposition": "ANSWERED",
            "UniqueID": LINKEDID,
            "LinkedID": LINKEDID,
            "UserField": "",
            "RecordingFile": f"{LINKEDID}-1720008133.420.wav",
        },
    ]


def outbound_busy() -> list[dict[str, str]]:
    phone = {"Channel": "PJSIP/101-000001b0", "Uniqueid": "1720009000.500", "Linkedid": "1720009000.500"}
    return [
        {
            "Event": "Newchannel",
            **phone,
            "CallerIDNum": "101",
            "Context": "from-internal",
            "Exten": "89161234567",
            "Timestamp": "1720009000.0",
        },
        {
            "Event": "DialBegin",
            **phone,
            "DestChannel": "PJSIP/provider-000001b1",
            "DestUniqueid": "1720009000.501",
            "DialString": "provider/89161234567",
            "Timestamp": "1720009000.5",
        },
        {
            "Event": "DialEnd",
            **phone,
            "DestChannel": "PJSIP/provider-000001b1",
            "DestUniqueid": "1720009000.501",
            "DialStatus": "BUSY",
            "Timestamp": "1720009004.0",
        },
        {"Event": "Hangup", **phone, "Cause": "17", "Timestamp": "1720009004.2"},
    ]


def internal_call() -> list[dict[str, str]]:
    phone = {"Channel": "PJSIP/101-000001c0", "Uniqueid": "1720009100.600", "Linkedid": "1720009100.600"}
    return [
        {"Event": "Newchannel", **phone, "CallerIDNum": "101", "Context": "from-internal", "Exten": "102"},
        {"Event": "Hangup", **phone, "Cause": "16"},
    ]


def feed_all(messages: list[dict[str, str]]) -> None:
    assembler = CallAssembler(AsteriskSettings(trunk_prefixes=("PJSIP/provider-",), timezone="Europe/Moscow"))
    for message in messages:
        for event in assembler.feed(message, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
            call_ingest(event)


def test_assembler_emits_start_ring_answer_end_summary() -> None:
    assembler = CallAssembler(AsteriskSettings(trunk_prefixes=("PJSIP/provider-",)))
    events = [e for m in inbound_answered() for e in assembler.feed(m, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))]
    assert [(e.stage, e.extension) for e in events] == [
        (Stage.STARTED, ""),
        (Stage.RINGING, "101"),
        (Stage.RINGING, "102"),
        (Stage.ANSWERED, "102"),
        (Stage.ENDED, "102"),
        (Stage.SUMMARY, "102"),
    ]
    assert {(e.call_id, e.direction, e.client_number, e.our_number) for e in events} == {
        (LINKEDID, "in", KNOWN, "+74950000000")
    }


def test_one_inbound_call_from_its_events(dept: Department) -> None:
    feed_all(inbound_answered())
    activity = Activity.objects.get()
    start = dt.datetime.fromtimestamp(T, tz=dt.UTC)
    assert (activity.external_id, activity.status, activity.user) == (LINKEDID, "answered", dept.petrova)
    assert (activity.started_at, activity.wait_s, activity.duration_s) == (start, 8, 87)
    assert (activity.contact, activity.deal) == (dept.client, dept.deal)
    assert Call.objects.get().recording_ref == f"{LINKEDID}-1720008133.420.wav"


def test_outbound_busy_and_internal_calls(dept: Department) -> None:
    feed_all(outbound_busy() + internal_call())
    activity = Activity.objects.get()
    assert (activity.direction, activity.status, activity.user, activity.contact) == (
        "out",
        "missed",
        dept.ivanov,
        dept.client,
    )
    assert Call.objects.get().outcome == "busy"


def test_an_ivr_answer_without_a_manager_stays_missed(dept: Department) -> None:
    messages = [m for m in inbound_answered() if not (m["Event"] == "DialEnd" and m["DialStatus"] == "ANSWER")]
    feed_all(messages)
    activity = Activity.objects.get()
    assert (activity.status, activity.duration_s, activity.wait_s) == ("missed", None, 95)
    assert Task.objects.get().user == dept.petrova  # nobody took the call: the last extension that rang


class FakeAmi:
    """A real TCP server speaking AMI: banner, login, then the given events, then it hangs up."""

    def __init__(self, events: list[dict[str, str]], secret: str = "amipass") -> None:
        self.events, self.secret = events, secret
        self.logins: list[dict[str, str]] = []
        self.loop = asyncio.new_event_loop()
        self.port = 0
        ready = threading.Event()

        async def start() -> None:
            server = await asyncio.start_server(self.session, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()

        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(start(), self.loop)
        ready.wait(5)

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"Asterisk Call Manager/5.0.1\r\n")
        login: dict[str, str] = {}
        while line := (await reader.readline()).decode().strip():
            key, _, value = line.partition(":")
            login[key.strip()] = value.strip()
        self.logins.append(login)
        if login.get("Secret") != self.secret:
            writer.write(
                format_action(
                    {"Response": "Error", "ActionID": login.get("ActionID", ""), "Message": "Authentication failed"}
                )
            )
        else:
            writer.write(
                format_action(
                    {"Response": "Success", "ActionID": login.get("ActionID", ""), "Message": "Authentication accepted"}
                )
            )
            writer.write(format_action({"Event": "FullyBooted", "Privilege": "system,all", "Status": "Fully Booted"}))
            for event in self.events:
                writer.write(format_action({"Privilege": "call,all", **event}))
        await writer.drain()
        writer.close()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def ami() -> Iterator[FakeAmi]:
    server = FakeAmi(inbound_answered() + outbound_busy())
    yield server
    server.stop()


def test_the_listener_logs_in_and_records_calls(dept: Department, ami: FakeAmi) -> None:
    integration_configure(
        "asterisk",
        host="127.0.0.1",
        port=ami.port,
        username="salescope",
        secret="amipass",
        trunk_prefixes=["PJSIP/provider-"],
        timezone="Europe/Moscow",
    )
    call_command("asterisk", "--once")
    assert ami.logins[0]["Action"] == "Login" and ami.logins[0]["Username"] == "salescope"
    assert ami.logins[0]["Events"] == "call,cdr"
    rows = sorted(Activity.objects.values_list("external_id", "direction", "status", "duration_s"))
    assert rows == [(LINKEDID, "in", "answered", 87), ("1720009000.500", "out", "missed", None)]
    integration = Integration.objects.get(key="asterisk")
    assert integration.last_event_at is not None and integration.last_error == ""
    call_command("asterisk", "--once")  # the PBX sends the same events again after a reconnect
    assert Activity.objects.count() == 2


def test_a_refused_login_is_reported(dept: Department, ami: FakeAmi) -> None:
    integration_configure("asterisk", host="127.0.0.1", port=ami.port, username="salescope", secret="wrong")
    call_command("asterisk", "--once")
    assert Activity.objects.count() == 0
    assert Integration.objects.get(key="asterisk").last_error.endswith("AMI login refused: Authentication failed")


def test_the_listener_needs_the_integration_on(dept: Department) -> None:
    with pytest.raises(CommandError, match="the asterisk integration is off"):
        call_command("asterisk", "--once")
