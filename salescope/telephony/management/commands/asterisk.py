"""`salescope asterisk`: listen to Asterisk over AMI and record every call in the card index."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils import timezone

from salescope.core.errors import ServiceError
from salescope.integrations.services import integration_config, integration_touch

from ...adapters.asterisk import KEY, AsteriskSettings, CallAssembler
from ...ami import AmiError, ami_events
from ...events import EventError
from ...routing import Routing
from ...services import call_ingest

log = logging.getLogger(__name__)
_CLOSED = object()


def _pump(options: dict[str, Any], inbox: queue.Queue[object], stop: threading.Event) -> None:
    """The socket side: read AMI events (reconnecting with back-off) into `inbox`."""

    async def run() -> None:
        delay = 1.0
        while not stop.is_set():
            try:
                async for message in ami_events(
                    options["host"], options["port"], options["username"], options["secret"]
                ):
                    inbox.put(message)
                    delay = 1.0
                    if stop.is_set():
                        return
                inbox.put(("closed", "the AMI server closed the connection"))
            except (TimeoutError, OSError, AmiError) as exc:
                inbox.put(("error", f"AMI {options['host']}:{options['port']}: {exc}"))
            if options["once"]:
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)

    try:
        asyncio.run(run())
    finally:
        inbox.put(_CLOSED)


class Command(BaseCommand):
    help = "Listen to Asterisk over AMI (settings of the 'asterisk' integration) and record calls."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", help="AMI host (default: the integration's `host`)")
        parser.add_argument("--port", type=int, help="AMI port (default: the integration's `port` or 5038)")
        parser.add_argument("--username", help="AMI user (default: the integration's `username`)")
        parser.add_argument("--secret", help="AMI secret (default: the integration's `secret`)")
        parser.add_argument("--once", action="store_true", help="stop when the connection closes (no reconnect)")

    def handle(self, *args: Any, **opts: Any) -> None:
        config = integration_config(KEY)
        if config is None:
            raise CommandError("the asterisk integration is off: enable it with its AMI settings in the admin first")
        options = {
            "host": opts["host"] or config.get("host") or "127.0.0.1",
            "port": int(opts["port"] or config.get("port") or 5038),
            "username": opts["username"] or config.get("username") or "",
            "secret": opts["secret"] or config.get("secret") or "",
            "once": opts["once"],
        }
        if not options["username"]:
            raise CommandError("no AMI username: set `username` in the asterisk integration or pass --username")
        try:
            routing = Routing.from_config(config)
        except ValueError as exc:
            raise CommandError(f"asterisk settings: {exc}") from exc
        assembler = CallAssembler(AsteriskSettings.from_config(config))
        inbox: queue.Queue[object] = queue.Queue()
        stop = threading.Event()
        pump = threading.Thread(target=_pump, args=(options, inbox, stop), name="ami", daemon=True)
        pump.start()
        self.stdout.write(f"Listening to Asterisk at {options['host']}:{options['port']}")
        try:
            while (item := inbox.get()) is not _CLOSED:
                if isinstance(item, tuple):
                    self.stderr.write(item[1])
                    if item[0] == "error":
                        integration_touch(KEY, error=item[1])
                    continue
                assert isinstance(item, dict)
                self._handle(assembler, routing, item)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            pump.join(timeout=5)

    def _handle(self, assembler: CallAssembler, routing: Routing, message: dict[str, str]) -> None:
        if not connection.in_atomic_block:  # (tests run the listener inside a transaction)
            close_old_connections()  # a listener lives for days: drop a dead or too old connection
        try:
            events = assembler.feed(message, timezone.now())
            for event in events:
                call_ingest(event, routing=routing)
        except (EventError, ServiceError) as exc:
            integration_touch(KEY, error=f"{message.get('Event')} {message.get('Linkedid', '')}: {exc}")
            log.warning("asterisk event skipped: %s", exc)
            return
        if events:
            integration_touch(KEY)
