from __future__ import annotations

import pytest
from django.test import Client

from salescope.accounts.services import user_create
from salescope.integrations.models import Integration, RawEvent
from salescope.integrations.services import (
    integration_config,
    integration_configure,
    integration_touch,
    raw_event_store,
)


@pytest.fixture
def admin_client(db: None, client: Client) -> Client:
    client.force_login(user_create(username="boss", name="Boss", role="admin"))
    return client


def test_config_is_none_until_enabled(db: None) -> None:
    assert integration_config("zadarma") is None
    integration_configure("zadarma", enabled=False, key="k", secret="s")
    assert integration_config("zadarma") is None
    integration_configure("zadarma", key="k", secret="s")  # `key` is a setting here, not the integration's key
    assert integration_config("zadarma") == {"key": "k", "secret": "s"}


def test_touch_counts_events_and_keeps_the_last_error(db: None) -> None:
    integration_touch("mango")
    integration_touch("mango", error="json: missing")
    integration_touch("mango")
    mango = Integration.objects.get(key="mango")
    assert (mango.events_received, mango.last_error, mango.enabled) == (3, "json: missing", False)
    assert mango.last_error_at is not None and mango.last_event_at is not None
    assert mango.last_event_at >= mango.last_error_at


def test_status_list_shows_events_received_and_last_error(admin_client: Client) -> None:
    integration_configure("generic", secret="x")
    for status in ("ok", "ok", "rejected", "error"):
        raw_event_store(integration="generic", payload="{}", status=status, error="" if status == "ok" else "why")
    integration_touch("generic", error="talk_s: must be ≥ 0")
    response = admin_client.get("/admin/integrations/integration/")
    assert response.status_code == 200
    row = response.context["cl"].result_list.get(key="generic")
    assert (row.raw_ok, row.raw_rejected, row.raw_failed, row.events_received) == (2, 1, 1, 1)
    assert "talk_s: must be ≥ 0" in response.content.decode()


def test_enable_and_disable_actions(admin_client: Client) -> None:
    integration_configure("generic", enabled=False)
    pk = Integration.objects.get(key="generic").pk
    admin_client.post("/admin/integrations/integration/", {"action": "enable", "_selected_action": [pk]})
    assert Integration.objects.get(pk=pk).enabled is True
    admin_client.post("/admin/integrations/integration/", {"action": "disable", "_selected_action": [pk]})
    assert Integration.objects.get(pk=pk).enabled is False


def test_configuring_an_integration_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/integrations/integration/add/",
        {"key": "mango", "enabled": "on", "config": '{"api_key": "k", "api_salt": "s"}'},
    )
    assert response.status_code == 302
    assert integration_config("mango") == {"api_key": "k", "api_salt": "s"}


def test_raw_events_are_read_only(admin_client: Client) -> None:
    raw = raw_event_store(integration="generic", payload='{"call_id": 1}', status="error", error="direction: missing")
    assert admin_client.get("/admin/integrations/rawevent/").status_code == 200
    assert admin_client.get(f"/admin/integrations/rawevent/{raw.pk}/change/").status_code == 200
    assert admin_client.get("/admin/integrations/rawevent/add/").status_code == 403
    admin_client.post(f"/admin/integrations/rawevent/{raw.pk}/change/", {"status": "ok"})
    assert RawEvent.objects.get(pk=raw.pk).status == "error"


def test_telephony_calls_are_listed_read_only(admin_client: Client) -> None:
    from salescope.telephony.events import CallEvent, Stage
    from salescope.telephony.services import call_ingest

    call = call_ingest(CallEvent(provider="zadarma", call_id="in_1", stage=Stage.STARTED, direction="in"))
    response = admin_client.get("/admin/telephony/call/")
    assert response.status_code == 200 and "in_1" in response.content.decode()
    assert admin_client.get(f"/admin/telephony/call/{call.pk}/change/").status_code == 200


def test_a_raw_event_is_stored_as_received(db: None) -> None:
    raw = raw_event_store(
        integration="generic",
        payload=b'{"call_id": "\xd0\xb9"}',
        headers={"Content-Type": "application/json"},
        status="ok",
    )
    stored = RawEvent.objects.get()
    assert stored.pk == raw.pk
    assert (stored.payload, stored.headers, stored.status, stored.error) == (
        '{"call_id": "й"}',
        {"Content-Type": "application/json"},
        "ok",
        "",
    )
    assert stored.received_at == raw.received_at


def test_status_list_counts_queued_webhooks_and_warns_when_the_queue_stands_still(admin_client: Client) -> None:
    import datetime as dt

    from django.utils import timezone

    integration_configure("generic", secret="x")
    raw_event_store(integration="generic", payload="{}", status="queued")
    response = admin_client.get("/admin/integrations/integration/")
    assert response.context["cl"].result_list.get(key="generic").raw_queued == 1
    assert "telephony_queue" not in response.content.decode()  # just arrived: the worker has a minute

    raw_event_store(
        integration="generic",
        payload="{}",
        status="queued",
        received_at=timezone.now() - dt.timedelta(minutes=5),
    )
    response = admin_client.get("/admin/integrations/integration/")
    warnings = [str(m) for m in response.context["messages"]]
    assert len(warnings) == 1 and "salescope telephony_queue" in warnings[0]
