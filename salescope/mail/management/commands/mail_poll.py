from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from imapclient.exceptions import IMAPClientError

from salescope.integrations.services import integration_config
from salescope.mail.imap import mailbox_poll
from salescope.mail.services import INTEGRATION


class Command(BaseCommand):
    help = "Read new letters from the configured IMAP mailbox once (the task worker does it every two minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        config = integration_config(INTEGRATION)
        if config is None or not config.get("imap_host"):
            raise CommandError("the mail integration is off or has no imap_host")
        try:
            result = mailbox_poll(config)
        except (IMAPClientError, OSError, ValueError) as exc:
            raise CommandError(f"IMAP poll failed: {exc}") from exc
        self.stdout.write(
            f"read {result.fetched} letter(s): {result.stored} stored, {result.duplicates} already known, "
            f"{len(result.rejected)} rejected"
        )
        for reason in result.rejected:
            self.stdout.write(f"rejected: {reason}")
