from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import callback_reminders_send


@db_periodic_task(crontab(minute="*"))
def callback_reminders() -> int:
    """Every minute: remind managers of the callbacks that have come due."""
    return callback_reminders_send()
