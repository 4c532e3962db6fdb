"""`salescope analytics docs [--check]`: write (or check) docs/metrics.md from the metric registry.

`salescope analytics verify [--from DATE --to DATE --as-of ISO8601]`: compare the incremental state and the
report it gives with a recomputation from the raw data; exit 1 on any difference.
`salescope analytics rebuild`: rebuild the incremental state from the raw data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from salescope.analytics import docs, state, verify
from salescope.analytics.period import zone
from salescope.core.timeutil import parse_date, parse_instant


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a read-only command; unrelated check failures must not block it
    help = "Analytics maintenance. `docs` writes docs/metrics.md from the metric registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["docs", "verify", "rebuild"])
        parser.add_argument("--from", dest="date_from", help="verify: first day (default: 89 days before --to)")
        parser.add_argument("--to", dest="date_to", help="verify: last day (default: the local date of --as-of)")
        parser.add_argument("--as-of", dest="as_of", help="verify: the moment (default: now or the latest record)")
        parser.add_argument("--output", default=str(docs.DOCS_PATH), help="where to write (default docs/metrics.md)")
        parser.add_argument("--check", action="store_true", help="fail if the file differs from the generated text")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options)
            return
        if options["action"] == "rebuild":
            with transaction.atomic():
                state.rebuild()
            state.tidy_after_rebuild()
            self.stdout.write("rebuilt the analytics state")
            return
        path = Path(options["output"])
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != docs.generate():
                raise CommandError(f"{path} is stale: run `salescope analytics docs`")
            self.stdout.write(f"{path} is up to date")
            return
        docs.write(path)
        self.stdout.write(f"wrote {path}")

    def _verify(self, options: dict[str, Any]) -> None:
        try:
            as_of = parse_instant(options["as_of"]) if options["as_of"] else _default_as_of()
            date_to = parse_date(options["date_to"]) if options["date_to"] else as_of.astimezone(zone(None)).date()
            date_from = parse_date(options["date_from"]) if options["date_from"] else date_to - dt.timedelta(days=89)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        found = verify.state_differences()
        state.tidy_after_rebuild()  # the rolled-back rebuild left dead rows and cleared the visibility map
        if state.fast_path_applies(zone(None).key, as_of):
            found += verify.report_differences(date_from=date_from, date_to=date_to, as_of=as_of)
            checked = f"state and report {date_from} … {date_to} as of {as_of.isoformat()}"
        else:
            checked = f"state only (the fast path does not apply as of {as_of.isoformat()})"
        for line in found:
            self.stdout.write(line)
        if found:
            raise CommandError(f"{len(found)} difference(s) between the fast path and the raw data", returncode=1)
        self.stdout.write(f"no difference: {checked}")


def _default_as_of() -> dt.datetime:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    last = state.last_record_at()
    return max(now, last) if last is not None else now
