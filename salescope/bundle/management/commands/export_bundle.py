"""`salescope export DIR`: write every stored record as a bundle into a new or empty folder."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salescope.bundle.errors import ExportTargetError
from salescope.bundle.exporter import export_bundle
from salescope.bundle.progress import progress_bar


class Command(BaseCommand):
    help = "Export every record as a Salescope bundle into DIR (created if missing, must be empty)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", metavar="DIR", help="folder to write the bundle into")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with progress_bar("export") as progress:
                written = export_bundle(options["dir"], progress=progress)
        except ExportTargetError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in written.items():
            if count:
                self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"Exported {sum(written.values())} record(s) to {options['dir']}.")
