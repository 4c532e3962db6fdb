"""Compare `salescope report --format json` with the reference on one bundle folder.

Usage (from the repository root):
    .venv/bin/python -m tests.oracle.compare_cli BUNDLE --from 2026-03-01 --to 2026-03-31 \
        [--as-of 2026-04-05T12:00:00+03:00] [--tz Europe/Moscow] [--fresh | --import]

--fresh  runs everything against a new throw-away SQLite instance whose time zone is the bundle's
         (migrate, import, report); otherwise the report reads the instance of the current environment
         (DATABASE_URL / SALESCOPE_DATA_DIR / SALESCOPE_TIME_ZONE), after importing the bundle if --import.
Exit status: 0 when equal, 1 when they differ (the differing paths are printed), 2 on a failed command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.oracle.generate import read_bundle_dir
from tests.oracle.reference import build_reference_report, diff_reports, parse_instant


def salescope_executable() -> str:
    here = Path(sys.executable).with_name("salescope")
    return str(here) if here.exists() else (shutil.which("salescope") or "salescope")


def run(args: list[str], env: dict[str, str]) -> str:
    completed = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({completed.returncode}):\n{completed.stderr}{completed.stdout}")
    return completed.stdout


def report_args(date_from: dt.date, date_to: dt.date, as_of: dt.datetime, tz: str | None) -> list[str]:
    args = ["report", "--format", "json", "--from", date_from.isoformat(), "--to", date_to.isoformat()]
    args += ["--as-of", as_of.isoformat()]
    if tz:
        args += ["--tz", tz]
    return args


def cli_report(
    bundle: Path,
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.datetime,
    tz: str | None,
    fresh: bool,
    do_import: bool,
) -> Any:
    timezone, _ = read_bundle_dir(bundle)
    exe = salescope_executable()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="oracle-cli-") as scratch:
        if fresh:
            env.pop("DATABASE_URL", None)
            env["SALESCOPE_DATA_DIR"] = scratch
            env["SALESCOPE_TIME_ZONE"] = timezone
            run([exe, "migrate", "--verbosity", "0"], env)
        if fresh or do_import:
            run([exe, "import", str(bundle)], env)
        output = run([exe, *report_args(date_from, date_to, as_of, tz)], env)
    return json.loads(output)


def compare(
    bundle: Path,
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.datetime,
    tz: str | None = None,
    fresh: bool = True,
    do_import: bool = False,
) -> list[str]:
    """Differences (reference → CLI) for one report; empty when they agree."""
    timezone, records = read_bundle_dir(bundle)
    actual = cli_report(
        bundle, date_from=date_from, date_to=date_to, as_of=as_of, tz=tz, fresh=fresh, do_import=do_import
    )
    expected = build_reference_report(
        records, date_from=date_from, date_to=date_to, as_of=as_of, timezone=tz or timezone
    )
    return diff_reports(expected, actual, limit=200)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle", type=Path, help="a bundle folder")
    parser.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--as-of", dest="as_of", type=parse_instant, help="ISO time with offset (default: now)")
    parser.add_argument("--tz", default=None, help="report time zone (default: the department's)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fresh", action="store_true", help="use a throw-away SQLite instance (migrate + import)")
    mode.add_argument("--import", dest="do_import", action="store_true", help="import into the current instance first")
    options = parser.parse_args(argv)
    as_of = options.as_of or dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        diffs = compare(
            options.bundle,
            date_from=options.date_from,
            date_to=options.date_to,
            as_of=as_of,
            tz=options.tz,
            fresh=options.fresh,
            do_import=options.do_import,
        )
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    if diffs:
        print(f"{len(diffs)} difference(s), reference vs salescope report:")
        for line in diffs:
            print(f"  {line}")
        return 1
    print("salescope report equals the reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
