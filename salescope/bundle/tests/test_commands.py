"""The `import_bundle` and `export_bundle` management commands (`salescope import` / `salescope export`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from salescope.bundle.writer import write_bundle
from salescope.contacts.models import Contact

from .sample import sample_records, write_sample

pytestmark = pytest.mark.django_db


def test_import_command_prints_every_error_and_exits_1(tmp_path: Path) -> None:
    records = sample_records()
    records["contacts"][0]["created_at"] = "yesterday"
    records["teams"][0]["id"] = None
    write_bundle(tmp_path, records)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_bundle", str(tmp_path), stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert err.getvalue().splitlines() == [
        "teams.jsonl:1: id: required",
        "users.jsonl:1: team: unknown team 't1' (not in teams.jsonl nor stored)",
        "users.jsonl:2: team: unknown team 't1' (not in teams.jsonl nor stored)",
        "users.jsonl:3: team: unknown team 't1' (not in teams.jsonl nor stored)",
        "contacts.jsonl:1: created_at: not an ISO 8601 time: 'yesterday'",
        "plans.jsonl:2: team: unknown team 't1' (not in teams.jsonl nor stored)",
        "6 error(s); nothing was imported.",
    ]
    assert out.getvalue() == ""
    assert Contact.objects.count() == 0


def test_import_command_prints_a_summary_and_warnings(tmp_path: Path) -> None:
    records = sample_records()
    records["teams"][0]["colour"] = "red"
    write_bundle(tmp_path, records)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_bundle", str(tmp_path), stdout=out, stderr=err)
    assert err.getvalue() == "warning: teams.jsonl:1: colour: unknown field, ignored\n"
    lines = out.getvalue().splitlines()
    assert lines[0] == "teams.jsonl: 1 created, 0 updated, 0 unchanged"
    assert lines[-1] == "Imported: 29 record(s) created or updated, 1 warning(s)."


def test_import_command_names_a_missing_bundle(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no bundle at .*nothing-here"):
        call_command("import_bundle", str(tmp_path / "nothing-here"))


def test_export_command(tmp_path: Path) -> None:
    call_command("import_bundle", str(write_sample(tmp_path / "in")), stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_bundle", str(tmp_path / "out"), stdout=out)
    assert out.getvalue().splitlines()[-1] == f"Exported 29 record(s) to {tmp_path / 'out'}."
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_bundle", str(tmp_path / "out"))


@pytest.mark.django_db(transaction=True)
def test_an_import_outside_a_transaction_leaves_the_state_tables_tidy(tmp_path: Path) -> None:
    from django.db import connection

    from salescope.analytics.models import DealFact
    from salescope.analytics.state import PERIOD_INDEXES

    if connection.vendor != "postgresql":
        pytest.skip("CLUSTER is PostgreSQL's")
    with connection.cursor() as cursor:
        for table in PERIOD_INDEXES:  # a mark that an earlier test's CLUSTER leaves behind
            cursor.execute(f"ALTER TABLE {table} SET WITHOUT CLUSTER")
    call_command("import_bundle", str(write_sample(tmp_path / "in")), stdout=io.StringIO())
    assert DealFact.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid WHERE x.indisclustered "
            "AND t.relname = ANY(%s)",
            [list(PERIOD_INDEXES)],
        )
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(PERIOD_INDEXES)
