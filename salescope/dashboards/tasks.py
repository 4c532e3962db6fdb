"""Periodic task: send the e-mail digests due today (thin; the work is in digest.py)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .digest import send_due_digests
from .periods import department_today


@db_periodic_task(crontab(minute="0", hour="7"))
def send_digests() -> int:
    return send_due_digests(department_today())
