"""`salescope report`: the department report as JSON, CSV, XLSX or a table; --explain lists a metric's records."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from salescope.analytics.export import csv_text, render_records, render_table, write_xlsx
from salescope.analytics.period import zone
from salescope.analytics.records import metric_records
from salescope.analytics.report import build_report
from salescope.core.db import migrate_if_needed
from salescope.core.timeutil import parse_date, parse_instant

FORMATS = ("json", "csv", "xlsx", "table")


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a read-only command; unrelated check failures must not block it
    help = (
        "Print the report of a period. --team keeps that team and its members in the users/teams objects, "
        "--user keeps that user only (and no team unless --team is given); the department, funnel and sources "
        "always cover the whole department. --explain METRIC lists the records behind the metric of --user, "
        "--team or (neither) the department."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", help="first local date, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="last local date (inclusive), YYYY-MM-DD")
        parser.add_argument("--as-of", dest="as_of", help="ISO 8601 time with an offset (default: now)")
        parser.add_argument("--tz", help="IANA time zone (default: the department's SALESCOPE_TIME_ZONE)")
        parser.add_argument("--team", help="team id (ref)")
        parser.add_argument("--user", help="user id (ref)")
        parser.add_argument("--format", dest="fmt", default="table", help="json, csv, xlsx or table (default)")
        parser.add_argument("--output", help="write to this file instead of standard output (required for xlsx)")
        parser.add_argument("--explain", metavar="METRIC", help="list the records that make up METRIC")

    def handle(self, *args: Any, **options: Any) -> None:
        date_from, date_to, as_of, tz = _parse(options)
        fmt = options["fmt"]
        if fmt not in FORMATS:
            raise CommandError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", returncode=2)
        output = options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE", returncode=2)
        migrate_if_needed()
        try:
            if options["explain"]:
                self._explain(options, date_from, date_to, as_of, tz)
                return
            report = build_report(
                date_from=date_from, date_to=date_to, as_of=as_of, tz=tz, team=options["team"], user=options["user"]
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if fmt == "xlsx":
            write_xlsx(report, Path(output))
            return
        if fmt == "json":
            text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        elif fmt == "csv":
            text = csv_text(report)
        else:
            buffer = io.StringIO()
            groups = 1 + len(report["teams"]) + len(report["users"])
            render_table(report, _console(buffer, 34 + 12 * groups))
            text = buffer.getvalue()
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _explain(
        self, options: dict[str, Any], date_from: dt.date, date_to: dt.date, as_of: dt.datetime | None, tz: str | None
    ) -> None:
        metric = options["explain"]
        try:
            records = metric_records(
                metric=metric,
                date_from=date_from,
                date_to=date_to,
                as_of=as_of,
                tz=tz,
                user=options["user"],
                team=options["team"] if not options["user"] else None,
            )
        except KeyError as exc:
            raise CommandError(f"--explain: unknown metric {metric!r}", returncode=2) from exc
        who = f"user {options['user']}" if options["user"] else f"team {options['team']}" if options["team"] else ""
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
        else:
            buffer = io.StringIO()
            render_records(
                records,
                _console(buffer),
                f"{metric} — {who or 'department'}",
            )
            self.stdout.write(buffer.getvalue(), ending="")


def _parse(options: dict[str, Any]) -> tuple[dt.date, dt.date, dt.datetime | None, str | None]:
    for flag, key in (("--from", "date_from"), ("--to", "date_to")):
        if not options[key]:
            raise CommandError(f"{flag} YYYY-MM-DD is required", returncode=2)
    try:
        date_from = parse_date(options["date_from"])
    except ValueError as exc:
        raise CommandError(f"--from: {exc}", returncode=2) from exc
    try:
        date_to = parse_date(options["date_to"])
    except ValueError as exc:
        raise CommandError(f"--to: {exc}", returncode=2) from exc
    if date_to < date_from:
        raise CommandError(f"--to {date_to} is before --from {date_from}", returncode=2)
    as_of = None
    if options["as_of"]:
        try:
            as_of = parse_instant(options["as_of"])
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}", returncode=2) from exc
    tz = options["tz"]
    if tz is not None:
        try:
            zone(tz)
        except ValueError as exc:
            raise CommandError(f"--tz: {exc}", returncode=2) from exc
    return date_from, date_to, as_of, tz


def _console(buffer: io.StringIO, width: int = 160) -> Console:
    return Console(file=buffer, width=max(width, shutil.get_terminal_size().columns))
