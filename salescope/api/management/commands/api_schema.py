"""`salescope api_schema [--check]`: write docs/openapi.json from the API (or check it is current)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SCHEMA_PATH = Path(settings.BASE_DIR).parent / "docs" / "openapi.json"


def schema_text() -> str:
    from salescope.api.api import openapi_schema

    return json.dumps(openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1/ to docs/openapi.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="fail if the committed schema is stale")

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        if options["check"]:
            current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
            if current != text:
                raise CommandError(f"{SCHEMA_PATH} is stale: run `salescope api_schema`")
            self.stdout.write(f"{SCHEMA_PATH} is up to date")
            return
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {SCHEMA_PATH}")
