"""`salescope demo`: load a made-up department into a fresh database and print the demo logins."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salescope.bundle.progress import progress_bar
from salescope.core.db import migrate_if_needed
from salescope.core.errors import ServiceError
from salescope.core.timeutil import parse_date
from salescope.demo.services import database_is_empty, demo_load

DEFAULT_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Load the demo department (managers, clients, deals, calls, plans, ad spend: three months ending today) "
        "into an empty database and print the demo logins. Every login's password is its user name followed by "
        "12345: head / head12345 (head of sales), kolya / kolya12345 (a manager), admin / admin12345."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing (and say so) when users already exist")
        parser.add_argument("--seed", type=int, default=7, help="random seed (same seed and day: same data)")
        parser.add_argument("--contacts", type=int, default=3000, help="number of clients (default 3000)")
        parser.add_argument("--today", help="last day of the history, YYYY-MM-DD (default: today)")
        parser.add_argument("--url", default=DEFAULT_URL, help=f"where the web interface runs (default {DEFAULT_URL})")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["contacts"] < 1:
            raise CommandError(f"--contacts must be at least 1, got {options['contacts']}")
        today = self._today(options["today"])
        migrate_if_needed()
        if not database_is_empty():
            if options["if_empty"]:
                self.stdout.write("The database already has data; the demo was not loaded.")
                return
            raise CommandError(
                "The database is not empty: the demo is only loaded into a fresh database "
                "(use --if-empty to skip silently, or point DATABASE_URL / SALESCOPE_DATA_DIR at a new one)."
            )
        started = time.monotonic()
        try:
            with progress_bar("Loading the demo") as progress:
                result = demo_load(today=today, seed=options["seed"], contacts=options["contacts"], progress=progress)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        counts = result.imported.counts
        self.stdout.write(
            f"Demo loaded in {elapsed:.1f} s: {counts['contacts.jsonl'].created} contacts, "
            f"{counts['deals.jsonl'].created} deals, {counts['activities.jsonl'].created} activities."
        )
        self.stdout.write(f"Open {options['url']} and log in:")
        width = max(len(login.username) for login in result.logins)
        for login in result.logins:
            self.stdout.write(
                f"  {login.username:<{width}}  {login.password:<{width + 5}}  {login.role:<7}  {login.name}"
            )

    @staticmethod
    def _today(value: str | None) -> dt.date | None:
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
