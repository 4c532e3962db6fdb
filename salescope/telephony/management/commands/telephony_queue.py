"""`salescope telephony_queue`: the worker that ingests accepted call webhooks (see telephony/queue.py)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from ...queue import IDLE_SLEEP, calls_work, queued_calls_process


class Command(BaseCommand):
    help = "Ingest the queued call webhooks, batch by batch, until stopped (SIGTERM or Ctrl+C)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="process what is queued now, then exit")
        parser.add_argument("--idle-sleep", type=float, default=IDLE_SLEEP, help="seconds between looks when idle")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            total = 0
            while taken := queued_calls_process():
                total += taken
            self.stdout.write(f"processed {total} queued webhooks")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            calls_work(stop, idle_sleep=options["idle_sleep"])
        except KeyboardInterrupt:
            pass
