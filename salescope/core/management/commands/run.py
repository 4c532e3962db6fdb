"""`salescope run`: migrate, then serve with gunicorn together with the Huey consumer and the call queue worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, then serve Salescope (gunicorn) with its background worker (Huey)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("SALESCOPE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("SALESCOPE_PORT", "8000")))
        default_workers = min(2 * (os.cpu_count() or 1) + 1, 9)  # gunicorn's rule of thumb for sync workers
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", default_workers)))
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the Huey consumer and the call queue worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        bin_dir = os.path.dirname(sys.executable)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "salescope.config.settings"}
        bind = f"{options['host']}:{options['port']}"
        processes = [
            subprocess.Popen(
                [
                    os.path.join(bin_dir, "gunicorn"),
                    "salescope.config.wsgi:application",
                    "--bind",
                    bind,
                    "--workers",
                    str(options["workers"]),
                    "--access-logfile",
                    "-",
                    "--log-level",
                    "warning",
                ],
                env=env,
            )
        ]
        if not options["no_worker"]:
            processes.append(subprocess.Popen([sys.executable, "-m", "salescope.cli", "run_huey", "--quiet"], env=env))
            processes.append(subprocess.Popen([sys.executable, "-m", "salescope.cli", "telephony_queue"], env=env))
        self.stdout.write(f"Salescope is running at http://{bind}/  (data: {settings.DATA_DIR}; Ctrl+C stops it)")
        self.stdout.flush()

        def stop(*_: Any) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            sys.exit(1)
