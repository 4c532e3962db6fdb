"""Copy a call's recording from the provider into our storage (provider links expire)."""

from __future__ import annotations

import mimetypes
import posixpath
import re
import tempfile
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from salescope.activities.models import Activity
from salescope.integrations.services import integration_config

from .adapters import asterisk, generic, mango, zadarma
from .models import Call, RecordingStatus

REQUESTS: dict[str, Callable[[str, Mapping[str, Any]], Request]] = {
    generic.KEY: generic.recording_request,
    zadarma.KEY: zadarma.recording_request,
    mango.KEY: mango.recording_request,
    asterisk.KEY: asterisk.recording_request,
}
MAX_BYTES = 200 * 1024 * 1024
_AUDIO_TYPES = {"audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav"}


class RecordingNotReady(Exception):
    """The download failed; worth another try later."""


def _extension(content_type: str, url: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind in _AUDIO_TYPES:
        return _AUDIO_TYPES[kind]
    suffix = posixpath.splitext(urlsplit(url).path)[1].lower()
    if re.fullmatch(r"\.(mp3|wav|ogg|opus|m4a|gsm)", suffix):
        return suffix
    return mimetypes.guess_extension(kind) or ".mp3"


def recording_storage_name(call: Call, extension: str) -> str:
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", call.call_id)[:120]
    return f"recordings/{call.provider}/{safe_id}{extension}"


def recording_download(call_pk: int) -> str:
    """Download once; on success store the file and point the call activity's recording_url at it."""
    call = Call.objects.get(pk=call_pk)
    if call.recording_status == RecordingStatus.STORED or not call.recording_ref:
        return call.recording_ref
    Call.objects.filter(pk=call.pk).update(recording_attempts=call.recording_attempts + 1)
    try:
        config = integration_config(call.provider)
        if config is None:
            raise RecordingNotReady(f"the {call.provider} integration is off")
        request = REQUESTS[call.provider](call.recording_ref, config)
        with urlopen(request, timeout=60) as response, tempfile.TemporaryFile() as buffer:  # noqa: S310
            size = 0
            while chunk := response.read(1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise RecordingNotReady("the recording is larger than 200 MB")
                buffer.write(chunk)
            if size == 0:
                raise RecordingNotReady("the provider sent an empty file")
            buffer.seek(0)
            extension = _extension(response.headers.get("Content-Type", ""), response.geturl())
            name = default_storage.save(recording_storage_name(call, extension), File(buffer))
    except (OSError, ValueError, RecordingNotReady) as exc:
        Call.objects.filter(pk=call.pk).update(recording_error=str(exc)[:1000])
        raise RecordingNotReady(str(exc)) from exc
    url = reverse("telephony:recording", args=[call.pk])
    with transaction.atomic():
        Call.objects.filter(pk=call.pk).update(
            recording_status=RecordingStatus.STORED, recording_error="", recording_file=name
        )
        if call.activity_id is not None:
            Activity.objects.filter(pk=call.activity_id).update(recording_url=url)
    return url


def recording_give_up(call_pk: int) -> None:
    Call.objects.filter(pk=call_pk).exclude(recording_status=RecordingStatus.STORED).update(
        recording_status=RecordingStatus.FAILED
    )
