from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import periodic_task

from salescope.integrations.services import integration_config, integration_touch

from .imap import PollResult, mailbox_poll
from .services import INTEGRATION

log = logging.getLogger(__name__)


@periodic_task(crontab(minute="*/2"))
def mail_poll() -> PollResult | None:
    """Every two minutes: read new letters when the mail integration is on and has an IMAP server."""
    config = integration_config(INTEGRATION)
    if config is None or not config.get("imap_host"):
        return None
    try:
        return mailbox_poll(config)
    except Exception as exc:  # the status page shows it; the next run tries again
        log.warning("IMAP poll failed: %s", exc)
        integration_touch(INTEGRATION, error=f"IMAP poll failed: {exc}")
        return None
