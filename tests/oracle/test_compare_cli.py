"""`salescope report --format json` (a subprocess on a throw-away instance) against the reference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.oracle.compare_cli import compare, main
from tests.oracle.examples import TIMEZONE, mini_bundle
from tests.oracle.generate import GeneratedBundle, write_bundle_dir
from tests.oracle.harness import product_modules


def test_cli_report_matches_reference(tmp_path: Path) -> None:
    product_modules()  # skip while the engine is missing
    bundle = GeneratedBundle(seed=-1, timezone=TIMEZONE, base_month=dt.date(2026, 3, 1), records=mini_bundle())
    folder = write_bundle_dir(bundle, tmp_path / "bundle")
    diffs = compare(
        folder,
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 3, 31),
        as_of=dt.datetime(2026, 3, 31, 23, 20, tzinfo=ZoneInfo(TIMEZONE)),
        tz=None,
        fresh=True,
    )
    assert diffs == []


def test_cli_reports_a_failed_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = GeneratedBundle(seed=-1, timezone=TIMEZONE, base_month=dt.date(2026, 3, 1), records=mini_bundle())
    folder = write_bundle_dir(bundle, tmp_path / "bundle")
    # a database file in a folder that does not exist cannot be opened: the report command fails
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'salescope.sqlite3'}")
    monkeypatch.setenv("SALESCOPE_DATA_DIR", str(tmp_path / "instance"))
    status = main([str(folder), "--from", "2026-03-01", "--to", "2026-03-31"])
    assert status == 2
