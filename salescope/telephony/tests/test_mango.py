from __future__ import annotations

import datetime as dt
import hashlib
import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from salescope.activities.models import Activity
from salescope.followups.models import Task
from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_configure
from salescope.telephony.adapters import mango
from salescope.telephony.models import Call

from .conftest import Department

BASE = "/hooks/telephony/mango/"
API_KEY, SALT = "abc123key", "salt-never-sent"
ENTRY = "MTAwNTc1OTM6NTAy"


def post(client: Client, event: str, data: dict, key: str = API_KEY, salt: str = SALT) -> tuple[int, dict]:
    body = json.dumps(data, ensure_ascii=False)
    sign = hashlib.sha256((key + body + salt).encode()).hexdigest()
    form = urlencode({"vpbx_api_key": key, "sign": sign, "json": body})
    response = client.post(BASE + event, form, content_type="application/x-www-form-urlencoded")
    return response.status_code, response.json()


def inbound_call_events() -> list[tuple[str, dict]]:
    caller = {"number": "79161234567"}
    line = {"line_number": "74950000000"}
    return [
        (
            "events/call",
            {
                "entry_id": ENTRY,
                "call_id": "leg-1",
                "timestamp": 1720008100,
                "seq": 1,
                "call_state": "Appeared",
                "location": "ivr",
                "from": caller,
                "to": line,
            },
        ),
        (
            "events/call",
            {
                "entry_id": ENTRY,
                "call_id": "leg-2",
                "timestamp": 1720008104,
                "seq": 2,
                "call_state": "Appeared",
                "location": "abonent",
                "from": caller,
                "to": {**line, "extension": "101", "number": "sip:user1@vpbx400000001.mangosip.ru"},
            },
        ),
        (
            "events/call",
            {
                "entry_id": ENTRY,
                "call_id": "leg-2",
                "timestamp": 1720008110,
                "seq": 3,
                "call_state": "Connected",
                "location": "abonent",
                "from": caller,
                "to": {**line, "extension": "101", "number": "sip:user1@vpbx400000001.mangosip.ru"},
            },
        ),
        (
            "events/call",
            {
                "entry_id": ENTRY,
                "call_id": "leg-2",
                "timestamp": 1720008205,
                "seq": 4,
                "call_state": "Disconnected",
                "location": "abonent",
                "from": caller,
                "to": {**line, "extension": "101"},
                "disconnect_reason": 1100,
            },
        ),
        (
            "events/summary",
            {
                "entry_id": ENTRY,
                "call_direction": 1,
                "from": caller,
                "to": {"extension": "101", "number": "sip:user1@vpbx400000001.mangosip.ru"},
                "line_number": "74950000000",
                "create_time": 1720008100,
                "forward_time": 1720008104,
                "talk_time": 1720008110,
                "end_time": 1720008205,
                "entry_result": 1,
                "disconnect_reason": 1100,
            },
        ),
        ("events/record/added", {"entry_id": ENTRY, "recording_id": "MToxMDA1NzU5MzoxOTAyOjA=", "user_id": "400"}),
    ]


@pytest.fixture
def enabled(dept: Department) -> Department:
    integration_configure("mango", api_key=API_KEY, api_salt=SALT, lead_pipeline="p-sales")
    return dept


def test_sign_is_sha256_of_key_json_salt() -> None:
    assert mango.sign("k", '{"a":1}', "s") == hashlib.sha256(b'k{"a":1}s').hexdigest()


def test_an_inbound_call_live_events_then_summary_and_recording(
    enabled: Department, client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as queued:
        for event, data in inbound_call_events():
            assert post(client, event, data)[0] == 200
    activity = Activity.objects.get()
    assert (activity.external_id, activity.direction, activity.status) == (ENTRY, "in", "answered")
    assert (activity.duration_s, activity.wait_s) == (95, 10)
    assert activity.started_at == dt.datetime.fromtimestamp(1720008100, tz=dt.UTC)
    assert (activity.user, activity.contact, activity.deal) == (enabled.ivanov, enabled.client, enabled.deal)
    call = Call.objects.get()
    assert (call.provider, call.our_number, call.recording_ref) == ("mango", "+74950000000", "MToxMDA1NzU5MzoxOTAyOjA=")
    assert len(queued) == 1


def test_summary_first_then_late_live_events_change_nothing(enabled: Department, client: Client) -> None:
    events = inbound_call_events()
    post(client, *events[4])
    snapshot = list(Activity.objects.values())
    for event, data in events[:4]:
        assert post(client, event, data)[0] == 200
    assert list(Activity.objects.values()) == snapshot


def test_missed_summary_creates_the_callback(enabled: Department, client: Client) -> None:
    summary = {
        "entry_id": "E2",
        "call_direction": 1,
        "from": {"number": "79161234567"},
        "to": {"extension": "102"},
        "line_number": "74950000000",
        "create_time": 1720008100,
        "forward_time": 1720008104,
        "talk_time": 0,
        "end_time": 1720008130,
        "entry_result": 0,
        "disconnect_reason": 1110,
    }
    assert post(client, "events/summary", summary)[0] == 200
    activity = Activity.objects.get()
    assert (activity.status, activity.wait_s, activity.duration_s, activity.user) == (
        "missed",
        30,
        None,
        enabled.petrova,
    )
    assert Task.objects.get().user == enabled.petrova


def test_outbound_summary(enabled: Department, client: Client) -> None:
    summary = {
        "entry_id": "E3",
        "call_direction": 2,
        "from": {"extension": "102", "number": "sip:u2@vpbx.mangosip.ru"},
        "to": {"number": "79161234567"},
        "line_number": "74950000000",
        "create_time": 1720008100,
        "forward_time": 0,
        "talk_time": 1720008120,
        "end_time": 1720008180,
        "entry_result": 1,
    }
    assert post(client, "events/summary", summary)[0] == 200
    activity = Activity.objects.get()
    assert (activity.direction, activity.status, activity.duration_s, activity.wait_s) == ("out", "answered", 60, None)
    assert (activity.user, activity.contact) == (enabled.petrova, enabled.client)


def test_internal_calls_and_pings_are_accepted_and_ignored(enabled: Department, client: Client) -> None:
    internal = {
        "entry_id": "E4",
        "call_direction": 0,
        "from": {"extension": "101"},
        "to": {"extension": "102"},
        "create_time": 1720008100,
        "talk_time": 0,
        "end_time": 1720008110,
        "entry_result": 0,
    }
    assert post(client, "events/summary", internal)[0] == 200
    assert post(client, "ping", {})[0] == 200
    assert Call.objects.count() == 0


def test_wrong_sign_or_key_is_403(enabled: Department, client: Client) -> None:
    event, data = inbound_call_events()[4]
    assert post(client, event, data, salt="guess")[0] == 403
    assert post(client, event, data, key="other-key")[0] == 403
    assert Call.objects.count() == 0
    assert RawEvent.objects.filter(status="rejected").count() == 2


def test_garbage_is_400(enabled: Department, client: Client) -> None:
    assert post(client, "events/summary", {"call_direction": 1})[1] == {"error": "entry_id: missing"}
    assert post(client, "events/summary", {"entry_id": "x", "call_direction": 7})[1] == {
        "error": "call_direction: expected 0, 1 or 2"
    }
    assert post(client, "events/call", {"entry_id": "x", "call_state": "Exploded"})[1] == {
        "error": "call_state: unknown state 'Exploded'"
    }
    sign = hashlib.sha256((API_KEY + "not json" + SALT).encode()).hexdigest()
    response = client.post(
        BASE + "events/summary",
        urlencode({"vpbx_api_key": API_KEY, "sign": sign, "json": "not json"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400 and response.json()["error"].startswith("json: not valid JSON")
    assert RawEvent.objects.filter(status="error").count() == 4


def test_recording_request_is_a_signed_post(enabled: Department) -> None:
    request = mango.recording_request(
        "REC1", {"api_key": API_KEY, "api_salt": SALT, "api_url": "http://pbx.test/vpbx/"}
    )
    body = '{"recording_id":"REC1","action":"download"}'
    assert request.full_url == "http://pbx.test/vpbx/queries/recording/post"
    assert (
        request.data
        == urlencode({"vpbx_api_key": API_KEY, "sign": mango.sign(API_KEY, body, SALT), "json": body}).encode()
    )
