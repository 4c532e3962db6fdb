"""The report JSON as flat rows (CSV/XLSX: one row per user, team and the department) and as rich tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.table import Table

from .registry import PLAN_METRICS


def scalar_keys(report: dict[str, Any]) -> list[str]:
    """The scalar metric keys of the report's group objects, in report order."""
    sample = report["department"]
    return [key for key, value in sample.items() if key != "plan" and not isinstance(value, dict)]


def plan_columns(report: dict[str, Any]) -> list[str]:
    present = {metric for level in ("users", "teams") for group in report[level].values() for metric in group["plan"]}
    return [f"plan.{m}.{part}" for m in PLAN_METRICS if m in present for part in ("target", "fact", "rate")]


def flat_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    keys = scalar_keys(report)
    plans = plan_columns(report)
    header = ["level", "id", *keys, *plans]
    rows: list[list[Any]] = []
    groups = [("department", "", report["department"])]
    groups += [("team", ref, group) for ref, group in report["teams"].items()]
    groups += [("user", ref, group) for ref, group in report["users"].items()]
    for level, ref, group in groups:
        row: list[Any] = [level, ref, *(group[key] for key in keys)]
        for column in plans:
            _, metric, part = column.split(".")
            row.append(group["plan"].get(metric, {}).get(part))
        rows.append(row)
    return header, rows


def write_csv(report: dict[str, Any], out: IO[str]) -> None:
    header, rows = flat_rows(report)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])


def csv_text(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    write_csv(report, buffer)
    return buffer.getvalue()


def write_xlsx(report: dict[str, Any], path: Path) -> None:
    from openpyxl import Workbook

    header, rows = flat_rows(report)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "report"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    period = book.create_sheet("period")
    for key, value in report["period"].items():
        period.append([key, value])
    book.save(path)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else "{}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render_table(report: dict[str, Any], console: Console) -> None:
    period = report["period"]
    title = f"{period['from']} … {period['to']} ({period['timezone']}), as of {period['as_of']}"
    groups = [("department", report["department"])]
    groups += [(f"team {ref}", group) for ref, group in report["teams"].items()]
    groups += [(f"user {ref}", group) for ref, group in report["users"].items()]
    table = Table(title=title)
    table.add_column("metric", no_wrap=True)
    for name, _ in groups:
        table.add_column(name, justify="right")
    for key in report["department"]:
        if key == "plan":
            continue
        table.add_row(key, *(_cell(group[key]) for _, group in groups))
    for metric in PLAN_METRICS:
        if any(metric in group["plan"] for _, group in groups):
            table.add_row(f"plan {metric}", *(_plan_cell(group["plan"].get(metric)) for _, group in groups))
    console.print(table)
    funnel = Table(title="funnel")
    funnel.add_column("pipeline")
    funnel.add_column("steps")
    for pipeline, steps in report["funnel"].items():
        funnel.add_row(pipeline, " → ".join(f"{s['stage']} {s['reached']}" for s in steps))
    console.print(funnel)
    sources = Table(title="sources")
    columns = ["leads", "won", "revenue", "customers", "spend", "cpl", "cac", "romi"]
    sources.add_column("source / campaign")
    for column in columns:
        sources.add_column(column, justify="right")
    for source, block in report["sources"].items():
        sources.add_row(source or '""', *(_cell(block[c]) for c in columns))
        for campaign, values in block["campaigns"].items():
            sources.add_row(f"  {campaign or chr(34) * 2}", *(_cell(values[c]) for c in columns))
    console.print(sources)


def _plan_cell(plan: dict[str, Any] | None) -> str:
    if plan is None:
        return "—"
    return f"{plan['fact']} / {plan['target']} ({_cell(plan['rate'])})"


def render_records(records: list[dict[str, Any]], console: Console, title: str) -> None:
    table = Table(title=title)
    columns = list(records[0]) if records else []
    for column in columns:
        table.add_column(column)
    for record in records:
        table.add_row(*(_cell(record.get(column)) for column in columns))
    console.print(table)
    console.print(f"{len(records)} records")
