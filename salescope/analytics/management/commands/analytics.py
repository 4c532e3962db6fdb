"""`salescope analytics docs [--check]`: write (or check) docs/metrics.md from the metric registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salescope.analytics import docs


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a read-only command; unrelated check failures must not block it
    help = "Analytics maintenance. `docs` writes docs/metrics.md from the metric registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["docs"])
        parser.add_argument("--output", default=str(docs.DOCS_PATH), help="where to write (default docs/metrics.md)")
        parser.add_argument("--check", action="store_true", help="fail if the file differs from the generated text")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != docs.generate():
                raise CommandError(f"{path} is stale: run `salescope analytics docs`")
            self.stdout.write(f"{path} is up to date")
            return
        docs.write(path)
        self.stdout.write(f"wrote {path}")
