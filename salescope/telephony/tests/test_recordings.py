from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from salescope.activities.models import Activity
from salescope.integrations.services import integration_configure
from salescope.telephony.adapters.generic import signature
from salescope.telephony.models import Call
from salescope.telephony.recordings import RecordingNotReady
from salescope.telephony.tasks import RETRIES, recording_fetch

from .conftest import KNOWN, Department, FakeServer

MP3 = b"ID3\x04\x00" + bytes(range(256)) * 40


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def hook(client: Client, recording: str) -> int:
    body = json.dumps(
        {
            "call_id": "rec-1",
            "direction": "in",
            "client": KNOWN,
            "extension": "101",
            "started_at": "2026-07-03T12:00:00+03:00",
            "answered_at": "2026-07-03T12:00:05+03:00",
            "ended_at": "2026-07-03T12:01:05+03:00",
            "outcome": "answered",
            "recording_url": recording,
        }
    ).encode()
    return client.post(
        "/hooks/telephony/generic/",
        body,
        content_type="application/json",
        HTTP_X_SALESCOPE_SIGNATURE=signature("k", body),
    ).status_code


def test_the_recording_is_downloaded_after_commit_and_played_from_our_storage(
    dept: Department, client: Client, http_server: FakeServer, media, django_capture_on_commit_callbacks
) -> None:
    integration_configure("generic", secret="k")
    http_server.routes["/rec/rec-1.mp3"] = (200, MP3, "audio/mpeg")
    with django_capture_on_commit_callbacks(execute=True):
        assert hook(client, f"{http_server.base}/rec/rec-1.mp3") == 200
    call = Call.objects.get()
    assert (call.recording_status, call.recording_attempts, call.recording_error) == ("stored", 1, "")
    assert call.recording_file == "recordings/generic/rec-1.mp3"
    assert (media / "recordings" / "generic" / "rec-1.mp3").read_bytes() == MP3
    activity = Activity.objects.get()
    assert activity.recording_url == f"/hooks/telephony/recordings/{call.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert hook(client, f"{http_server.base}/rec/rec-1.mp3") == 200  # a retried webhook: no second download
    assert len(http_server.requests) == 1

    client.force_login(dept.ivanov)  # the manager who took the call
    response = client.get(activity.recording_url)
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert (response.status_code, content) == (200, MP3)
    client.force_login(dept.sidorov)  # a manager of another team
    assert client.get(activity.recording_url).status_code == 404
    client.logout()
    assert client.get(activity.recording_url).status_code == 302  # to the login page


def test_a_recording_not_there_yet_is_retried_with_back_off_then_stored(
    dept: Department, client: Client, http_server: FakeServer, media, django_capture_on_commit_callbacks
) -> None:
    integration_configure("generic", secret="k")
    with django_capture_on_commit_callbacks(execute=True):
        assert hook(client, f"{http_server.base}/rec/late.wav") == 200  # 404 for now: Huey schedules a retry
    call = Call.objects.get()
    assert (call.recording_status, call.recording_attempts) == ("pending", 1)
    assert call.recording_error == "HTTP Error 404: Not Found"
    (retry,) = [task for task in HUEY.scheduled() if task.args == (call.pk,)]
    wait = (retry.eta - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()
    assert (retry.retries, retry.retry_delay) == (RETRIES - 1, 40)  # 20 s now, then 40 s, 80 s…
    assert 15 < wait <= 20

    http_server.routes["/rec/late.wav"] = (200, b"RIFF....WAVEfmt ", "audio/x-wav")
    assert recording_fetch.call_local(call.pk) == f"/hooks/telephony/recordings/{call.pk}/"
    call.refresh_from_db()
    assert (call.recording_status, call.recording_attempts, call.recording_file) == (
        "stored",
        2,
        "recordings/generic/rec-1.wav",
    )


def test_the_last_failed_try_gives_up(
    dept: Department, client: Client, http_server: FakeServer, media, django_capture_on_commit_callbacks
) -> None:
    integration_configure("generic", secret="k")
    http_server.routes["/rec/empty.mp3"] = (200, b"", "audio/mpeg")
    assert hook(client, f"{http_server.base}/rec/empty.mp3") == 200
    call = Call.objects.get()
    with pytest.raises(RecordingNotReady, match="the provider sent an empty file"):
        recording_fetch.call_local(call.pk, task=SimpleNamespace(retries=3))
    assert recording_fetch.call_local(call.pk, task=SimpleNamespace(retries=0)) is None
    call.refresh_from_db()
    assert (call.recording_status, call.recording_attempts, call.recording_error) == (
        "failed",
        2,
        "the provider sent an empty file",
    )
    assert Activity.objects.get().recording_url == ""


def test_asterisk_recordings_come_from_the_configured_folder_url(
    dept: Department, http_server: FakeServer, media
) -> None:
    from salescope.telephony.events import CallEvent, Stage
    from salescope.telephony.services import call_ingest

    integration_configure("asterisk", recordings_url=f"{http_server.base}/monitor/")
    http_server.routes["/monitor/1720008131.418-1720008133.420.wav"] = (200, b"RIFFwav", "audio/wav")
    call = call_ingest(
        CallEvent(
            provider="asterisk",
            call_id="1720008131.418",
            stage=Stage.RECORDING,
            recording_ref="1720008131.418-1720008133.420.wav",
        )
    )
    recording_fetch.call_local(call.pk)
    call.refresh_from_db()
    assert (call.recording_status, call.recording_file) == ("stored", "recordings/asterisk/1720008131.418.wav")
