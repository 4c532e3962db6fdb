"""`salescope import BUNDLE`: validate and import a bundle folder or .zip."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salescope.bundle.errors import BundleInvalid
from salescope.bundle.importer import import_bundle
from salescope.bundle.progress import progress_bar
from salescope.core.db import migrate_if_needed


class Command(BaseCommand):
    help = "Import a Salescope bundle (a folder or a .zip of it). Nothing is written if any line is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bundle", metavar="BUNDLE", help="bundle folder or .zip")

    def handle(self, *args: Any, **options: Any) -> None:
        migrate_if_needed()
        try:
            with progress_bar("import") as progress:
                result = import_bundle(options["bundle"], progress=progress)
        except BundleInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            self.stderr.write(f"{len(exc.errors)} error(s); nothing was imported.")
            raise SystemExit(1) from exc
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        for line in result.summary_lines():
            self.stdout.write(line)
        self.stdout.write(
            f"Imported: {result.changed} record(s) created or updated, {len(result.warnings)} warning(s)."
        )
