"""Background work of the telephony app (Huey). Thin: the work is in recordings.py."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import close_db, task

from .recordings import RecordingNotReady, recording_download, recording_give_up

RETRIES = 8  # back-off 20 s, 40 s, 80 s … about 85 minutes in all


@task(retries=RETRIES, retry_delay=20, retry_backoff=2, context=True)
@close_db
def recording_fetch(call_pk: int, task: Any = None) -> str | None:
    try:
        return recording_download(call_pk)
    except RecordingNotReady:
        if task is not None and task.retries == 0:
            recording_give_up(call_pk)
            return None
        raise
