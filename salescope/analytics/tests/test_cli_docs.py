"""`salescope report` formats and errors; docs/metrics.md generated from the registry."""

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from salescope.analytics import docs
from salescope.analytics.report import build_report
from salescope.analytics.tests.conftest import at

ARGS = ["--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-04-05T12:00:00+03:00"]


@pytest.fixture
def some(dept):
    c = dept.contact("c1")
    dept.act("call", "2026-03-02 10:00", dept.u1, contact=c, direction="out", duration_s=30)
    dept.act("call", "2026-03-02 11:00", None, contact=c, direction="in", status="missed")
    return dept


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_is_the_report(some):
    expected = build_report(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=at("2026-04-05 12:00"))
    printed = json.loads(run(*ARGS, "--format", "json"))
    assert printed == json.loads(json.dumps(expected))
    only = json.loads(run(*ARGS, "--format", "json", "--team", "t1"))
    assert (sorted(only["users"]), list(only["teams"])) == (["u1", "u2"], ["t1"])
    assert only["department"] == printed["department"]
    alone = json.loads(run(*ARGS, "--format", "json", "--user", "u2"))
    assert (list(alone["users"]), alone["teams"]) == (["u2"], {})


@pytest.mark.django_db
def test_csv_and_xlsx_have_one_row_per_group(some, tmp_path):
    rows = list(csv.reader(io.StringIO(run(*ARGS, "--format", "csv"))))
    header = rows[0]
    assert header[:4] == ["level", "id", "calls_in", "calls_in_missed"]
    assert "lost_by_stage" not in header and "qa_objections_avg" in header
    assert [row[:2] for row in rows[1:]] == [["department", ""], ["team", "t1"], ["team", "t2"]] + [
        ["user", ref] for ref in ("u1", "u2", "u3")
    ]
    column = header.index("calls_in_missed")
    assert [row[column] for row in rows[1:]] == ["1", "0", "0", "0", "0", "0"]
    assert rows[1][header.index("avg_call_duration_s")] == "30" and rows[3][header.index("win_rate")] == ""
    path = tmp_path / "r.xlsx"
    run(*ARGS, "--format", "xlsx", "--output", str(path))
    sheet = load_workbook(path)["report"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0] == header and cells[1][column] == 1 and cells[4][:2] == ["user", "u1"]


@pytest.mark.django_db
def test_table_and_explain(some):
    assert "calls_in_missed" in run(*ARGS, "--format", "table")
    records = json.loads(run(*ARGS, "--format", "json", "--explain", "calls_out", "--user", "u1"))
    assert [(r["user"], r["duration_s"]) for r in records] == [("u1", 30)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-03-31", "--to", "2026-03-01"], "--to 2026-03-01 is before --from 2026-03-31"),
        (["--from", "2026-03-01", "--to", "2026-03-31", "--tz", "Mars/Base"], "--tz: unknown time zone: 'Mars/Base'"),
        (["--from", "2026-03-01", "--to", "31.03.2026"], "--to: expected a date YYYY-MM-DD: '31.03.2026'"),
        (["--from", "2026-02-30", "--to", "2026-03-31"], "--from: not a valid date: '2026-02-30'"),
        (
            ["--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-04-01T10:00"],
            "--as-of: time without an offset: '2026-04-01T10:00'",
        ),
        (["--to", "2026-03-31"], "--from YYYY-MM-DD is required"),
        ([*ARGS, "--format", "pdf"], "--format must be one of json, csv, xlsx, table, not 'pdf'"),
    ],
)
def test_bad_arguments(args, message):
    with pytest.raises(CommandError) as error:
        call_command("report", *args)
    assert (str(error.value), error.value.returncode) == (message, 2)


@pytest.mark.django_db
def test_unknown_user_is_an_error(some):
    with pytest.raises(CommandError, match="unknown user: 'nobody'"):
        run(*ARGS, "--user", "nobody")


def test_console_prints_one_line_and_exits_2():
    env = dict(os.environ)
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from salescope.cli import main; main()",
            "report",
            "--from",
            "2026-03-05",
            "--to",
            "2026-03-01",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip().splitlines() == ["CommandError: --to 2026-03-01 is before --from 2026-03-05"]


def test_committed_metrics_doc_is_generated_from_the_registry():
    assert docs.DOCS_PATH.read_text(encoding="utf-8") == docs.generate(), "run `salescope analytics docs`"
