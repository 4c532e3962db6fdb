from __future__ import annotations

import json

import pytest
from django.test import Client

from salescope.activities.models import Activity
from salescope.integrations.models import Integration, RawEvent
from salescope.integrations.services import integration_configure
from salescope.telephony.adapters.generic import signature
from salescope.telephony.models import Call

from .conftest import KNOWN, UNKNOWN, Department

URL = "/hooks/telephony/generic/"
SECRET = "s3cr3t-for-tests"


def post(client: Client, payload: dict | str, secret: str | None = SECRET) -> tuple[int, dict]:
    body = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
    headers = {"X-Salescope-Signature": signature(secret, body)} if secret else {}
    response = client.post(URL, body, content_type="application/json", headers=headers)
    return response.status_code, response.json()


def day_of_webhooks() -> list[dict[str, object]]:
    """A morning of a small office: answered, missed, busy and outbound calls, each as start + end events."""
    hooks: list[dict[str, object]] = []
    for i, (direction, number, outcome) in enumerate(
        [
            ("in", KNOWN, "answered"),
            ("in", UNKNOWN, "missed"),
            ("out", KNOWN, "busy"),
            ("in", "+79030000005", "answered"),
        ]
    ):
        base = {"call_id": f"day-{i}", "direction": direction, "client": number, "line": "+7 495 000-00-00"}
        start = f"2026-07-03T09:{10 + i}:00+03:00"
        hooks.append({**base, "event": "start", "started_at": start, "extension": "101"})
        end: dict[str, object] = {
            **base,
            "event": "end",
            "started_at": start,
            "ended_at": f"2026-07-03T09:{10 + i}:40+03:00",
        }
        end["outcome"] = outcome
        if outcome == "answered":
            end.update(answered_at=f"2026-07-03T09:{10 + i}:07+03:00", talk_s=33, extension="102")
        hooks.append(end)
    return hooks


@pytest.fixture
def enabled(dept: Department) -> Department:
    integration_configure("generic", secret=SECRET, lead_pipeline="p-sales")
    return dept


def test_a_day_of_webhooks_then_its_replay_changes_nothing(enabled: Department, client: Client) -> None:
    for hook in day_of_webhooks():
        assert post(client, hook) == (200, {"ok": True, "events": 1})
    rows = list(
        Activity.objects.order_by("external_id").values_list(
            "external_id", "direction", "status", "duration_s", "wait_s", "user__username"
        )
    )
    assert rows == [
        ("day-0", "in", "answered", 33, 7, "petrova"),
        ("day-1", "in", "missed", None, 40, "ivanov"),
        ("day-2", "out", "missed", None, None, "ivanov"),
        ("day-3", "in", "answered", 33, 7, "petrova"),
    ]
    snapshot = (list(Activity.objects.values()), list(Call.objects.values()))
    for hook in reversed(day_of_webhooks()):  # the whole day again, even backwards
        assert post(client, hook)[0] == 200
    assert (list(Activity.objects.values()), list(Call.objects.values())) == snapshot
    integration = Integration.objects.get(key="generic")
    assert (integration.events_received, integration.last_error) == (16, "")
    assert integration.last_event_at is not None
    assert RawEvent.objects.filter(integration="generic", status="ok").count() == 16


def test_bad_or_missing_signature_is_refused_and_nothing_stored(enabled: Department, client: Client) -> None:
    hook = day_of_webhooks()[1]
    assert post(client, hook, secret="wrong") == (403, {"error": "bad signature"})
    assert post(client, hook, secret=None) == (403, {"error": "bad signature"})
    assert Call.objects.count() == Activity.objects.count() == 0
    assert list(RawEvent.objects.values_list("status", "error")) == [("rejected", "bad signature")] * 2
    assert Integration.objects.get(key="generic").last_error == "rejected a request with a bad signature"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("{not json", "body: not valid JSON"),
        ("[1, 2]", "body: expected a JSON object"),
        ({"direction": "in"}, "call_id: missing"),
        ({"call_id": "x", "direction": "up"}, "direction: must be 'in' or 'out', not 'up'"),
        ({"call_id": "x", "direction": "in", "started_at": "2026-07-03 09:10"}, "started_at: time without an offset"),
        ({"call_id": "x", "direction": "in", "client": "call me"}, "client: not a phone number: 'call me'"),
        ({"call_id": "x", "direction": "in", "talk_s": "long"}, "talk_s: expected a whole number of seconds"),
        ({"call_id": "x", "direction": "in", "event": "explode"}, "event: must be one of"),
        ({"call_id": "x", "direction": "in", "outcome": "maybe"}, "outcome: must be one of"),
        ({"call_id": "x", "direction": "in", "recording_url": "ftp://x/y"}, "recording_url: expected an http(s) URL"),
    ],
)
def test_malformed_payload_is_400_with_the_reason_kept(enabled: Department, client: Client, payload, reason) -> None:
    status, answer = post(client, payload)
    assert status == 400 and answer["error"].startswith(reason)
    raw = RawEvent.objects.get()
    assert (raw.status, raw.error) == ("error", answer["error"])
    assert Call.objects.count() == 0
    assert Integration.objects.get(key="generic").last_error == answer["error"]


def test_everything_is_off_until_configured(dept: Department, client: Client) -> None:
    hook = day_of_webhooks()[0]
    assert post(client, hook, secret=None)[0] == 404
    integration_configure("generic", enabled=False, secret=SECRET)
    assert post(client, hook)[0] == 404
    assert Call.objects.count() == RawEvent.objects.count() == 0


def test_unsigned_requests_are_accepted_when_no_secret_is_set(dept: Department, client: Client) -> None:
    integration_configure("generic")
    assert post(client, day_of_webhooks()[2], secret=None)[0] == 200
    assert Activity.objects.get().external_id == "day-1"


def test_hidden_number_is_a_call_without_a_client(enabled: Department, client: Client) -> None:
    status, _ = post(
        client,
        {
            "call_id": "h",
            "direction": "in",
            "client": "anonymous",
            "outcome": "missed",
            "started_at": "2026-07-03T09:00:00Z",
            "ended_at": "2026-07-03T09:00:09Z",
        },
    )
    assert status == 200
    activity = Activity.objects.get()
    assert (activity.contact, activity.status, activity.wait_s) == (None, "missed", 9)


def test_get_is_not_allowed(enabled: Department, client: Client) -> None:
    assert client.get(URL).status_code == 405
