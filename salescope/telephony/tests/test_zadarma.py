from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from salescope.activities.models import Activity
from salescope.followups.models import Task
from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_configure
from salescope.telephony.adapters import zadarma
from salescope.telephony.events import Stage
from salescope.telephony.models import Call
from salescope.telephony.services import call_ingest

from .conftest import KNOWN, UNKNOWN, Department

URL = "/hooks/telephony/zadarma/"
SECRET = "zd-api-secret"


def inbound_answered(call: str = "in_8f1c2d3e4a", caller: str = "79161234567") -> list[dict[str, str]]:
    common = {"call_start": "2026-07-03 14:02:11", "pbx_call_id": call, "caller_id": caller}
    return [
        {"event": "NOTIFY_START", **common, "called_did": "74950000000"},
        {"event": "NOTIFY_INTERNAL", **common, "called_did": "74950000000", "internal": "101"},
        {"event": "NOTIFY_ANSWER", **common, "destination": "102", "internal": "102"},
        {
            "event": "NOTIFY_END",
            **common,
            "called_did": "74950000000",
            "internal": "102",
            "duration": "95",
            "disposition": "answered",
            "status_code": "16",
            "is_recorded": "1",
            "call_id_with_rec": "1720008131.334455",
        },
        {"event": "NOTIFY_RECORD", "pbx_call_id": call, "call_id_with_rec": "1720008131.334455"},
    ]


def post(client: Client, fields: dict[str, str], secret: str = SECRET) -> int:
    header = zadarma.signature(secret, fields)
    body = urlencode(fields)
    return client.post(URL, body, content_type="application/x-www-form-urlencoded", HTTP_SIGNATURE=header).status_code


@pytest.fixture
def enabled(dept: Department) -> Department:
    integration_configure("zadarma", key="zd-key", secret=SECRET, lead_pipeline="p-sales", api_url="http://127.0.0.1:9")
    return dept


def test_signature_is_base64_of_the_hex_hmac_sha1() -> None:
    fields = {
        "event": "NOTIFY_START",
        "caller_id": "79161234567",
        "called_did": "74950000000",
        "call_start": "2026-07-03 14:02:11",
    }
    # printf %s "79161234567749500000002026-07-03 14:02:11" | openssl dgst -sha1 -hmac zd-api-secret | base64
    assert zadarma.signature(SECRET, fields) == ("NDIyMmUyMjEyNmQ0YTUyNDZkNTA4YWViODQ5NTBjYjYzN2I5NTc3Nw==")
    record = {"event": "NOTIFY_RECORD", "pbx_call_id": "in_1", "call_id_with_rec": "17.5"}
    assert zadarma.signature(SECRET, record) == zadarma._hex_hmac_b64(SECRET, "in_117.5")


def test_echo_validation_get(enabled: Department, client: Client) -> None:
    response = client.get(URL, {"zd_echo": "a1b2c3"})
    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"a1b2c3", "text/plain")


def test_echo_is_refused_while_off(dept: Department, client: Client) -> None:
    assert client.get(URL, {"zd_echo": "a1b2c3"}).status_code == 404


def test_an_inbound_call_in_order_and_then_retried(
    enabled: Department, client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as queued:
        for fields in inbound_answered() * 2:
            assert post(client, fields) == 200
    activity = Activity.objects.get()
    assert (activity.external_id, activity.status, activity.duration_s, activity.direction) == (
        "in_8f1c2d3e4a",
        "answered",
        95,
        "in",
    )
    assert (activity.user, activity.contact, activity.deal) == (enabled.petrova, enabled.client, enabled.deal)
    assert activity.started_at == dt.datetime(2026, 7, 3, 11, 2, 11, tzinfo=dt.UTC)  # Moscow time in the payload
    call = Call.objects.get()
    assert (call.our_number, call.recording_ref, call.recording_status) == (
        "+74950000000",
        "1720008131.334455",
        "pending",
    )
    assert len(queued) == 1  # one download queued, not one per event
    assert RawEvent.objects.filter(status="ok").count() == 10


def test_end_before_start_and_a_missed_call_from_a_new_number(enabled: Department, client: Client) -> None:
    common = {
        "call_start": "2026-07-03 15:00:00",
        "pbx_call_id": "in_miss",
        "caller_id": "89037654321",
        "called_did": "74950000000",
    }
    assert (
        post(
            client,
            {
                "event": "NOTIFY_END",
                **common,
                "internal": "101",
                "duration": "0",
                "disposition": "no answer",
                "status_code": "19",
                "is_recorded": "0",
                "call_id_with_rec": "",
            },
        )
        == 200
    )
    assert post(client, {"event": "NOTIFY_INTERNAL", **common, "internal": "101"}) == 200
    assert post(client, {"event": "NOTIFY_START", **common}) == 200
    activity = Activity.objects.get()
    assert (activity.status, activity.duration_s, activity.user) == ("missed", None, enabled.ivanov)
    assert activity.contact is not None and activity.contact.phones.get().number == UNKNOWN
    assert activity.deal is not None and activity.deal.owner == enabled.ivanov
    task = Task.objects.get()
    assert (task.kind, task.user, task.contact) == ("callback", enabled.ivanov, activity.contact)
    assert Call.objects.get().recording_status == ""


@pytest.mark.parametrize(("disposition", "status"), [("busy", "missed"), ("cancel", "missed"), ("no money", "missed")])
def test_outbound_end(enabled: Department, client: Client, disposition: str, status: str) -> None:
    fields = {
        "event": "NOTIFY_OUT_END",
        "call_start": "2026-07-03 16:00:00",
        "pbx_call_id": "out_1",
        "caller_id": "74950000000",
        "destination": "79161234567",
        "internal": "101",
        "duration": "0",
        "disposition": disposition,
        "status_code": "17",
        "is_recorded": "0",
        "call_id_with_rec": "",
    }
    assert post(client, fields) == 200
    activity = Activity.objects.get()
    assert (activity.direction, activity.status, activity.wait_s, activity.user, activity.contact) == (
        "out",
        status,
        None,
        enabled.ivanov,
        enabled.client,
    )
    assert Call.objects.get().outcome == {"busy": "busy", "cancel": "missed", "no money": "failed"}[disposition]


def test_bad_signature_is_403_and_nothing_stored(enabled: Department, client: Client) -> None:
    assert post(client, inbound_answered()[0], secret="not-the-secret") == 403
    assert client.post(URL, inbound_answered()[0]).status_code == 403  # unsigned
    assert Call.objects.count() == 0
    assert set(RawEvent.objects.values_list("status", flat=True)) == {"rejected"}


def test_garbage_is_400(enabled: Department, client: Client) -> None:
    bad_time = {**inbound_answered()[0], "call_start": "yesterday"}
    assert post(client, bad_time) == 400
    assert post(client, {**inbound_answered()[0], "pbx_call_id": ""}) == 400
    assert (
        post(client, {"event": "NOTIFY_END", **{k: v for k, v in inbound_answered()[3].items() if k != "disposition"}})
        == 400
    )
    assert list(RawEvent.objects.order_by("id").values_list("status", "error")) == [
        ("error", "call_start: expected YYYY-MM-DD HH:MM:SS, got 'yesterday'"),
        ("error", "pbx_call_id: missing"),
        ("error", "disposition: missing"),
    ]
    assert Call.objects.count() == 0


def test_ivr_notifications_are_accepted_and_ignored(enabled: Department, client: Client) -> None:
    fields = {
        "event": "NOTIFY_IVR",
        "call_start": "2026-07-03 14:02:11",
        "pbx_call_id": "in_x",
        "caller_id": "79161234567",
        "called_did": "74950000000",
    }
    assert post(client, fields) == 200
    assert Call.objects.count() == 0


def test_wait_time_comes_from_the_answer_notification(dept: Department) -> None:
    config = {"timezone": "Europe/Moscow"}
    start = dt.datetime(2026, 7, 3, 11, 2, 11, tzinfo=dt.UTC)
    received = [start + dt.timedelta(seconds=s) for s in (0, 1, 9, 104, 150)]
    for fields, at in zip(inbound_answered(), received, strict=True):
        for event in zadarma.events_from_fields(fields, config, at):
            call_ingest(event, received_at=at)
    activity = Activity.objects.get()
    assert (activity.wait_s, activity.duration_s) == (9, 95)
    assert Call.objects.get().ended_at == start + dt.timedelta(seconds=104)


def test_outbound_start_maps_fields(dept: Department) -> None:
    fields = {
        "event": "NOTIFY_OUT_START",
        "call_start": "2026-07-03 16:00:00",
        "pbx_call_id": "out_2",
        "internal": "103",
        "destination": "+7 916 123-45-67",
    }
    (event,) = zadarma.events_from_fields(fields, {}, dt.datetime(2026, 7, 3, 13, 0, tzinfo=dt.UTC))
    assert (event.stage, event.direction, event.client_number, event.extension) == (Stage.STARTED, "out", KNOWN, "103")


def test_recording_link_is_requested_with_the_api_signature(http_server, dept: Department, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    http_server.routes["/v1/pbx/record/request/"] = (
        200,
        json.dumps({"status": "success", "link": f"{http_server.base}/files/r.mp3"}).encode(),
        "application/json",
    )
    http_server.routes["/files/r.mp3"] = (200, b"ID3-fake-mp3", "audio/mpeg")
    request = zadarma.recording_request(
        "1720008131.334455", {"key": "k", "secret": SECRET, "api_url": http_server.base}
    )
    assert request.full_url == f"{http_server.base}/files/r.mp3"
    method, path, headers, _ = http_server.requests[0]
    query = "call_id=1720008131.334455&format=json"
    assert (method, path) == ("GET", f"/v1/pbx/record/request/?{query}")
    assert headers["Authorization"] == zadarma.api_authorization(
        "k", SECRET, "/v1/pbx/record/request/", {"format": "json", "call_id": "1720008131.334455"}
    )
    import base64  # noqa: E401
    import hashlib
    import hmac

    text = "/v1/pbx/record/request/" + query + hashlib.md5(query.encode()).hexdigest()
    expected = base64.b64encode(hmac.new(SECRET.encode(), text.encode(), hashlib.sha1).hexdigest().encode()).decode()
    assert headers["Authorization"] == f"k:{expected}"
