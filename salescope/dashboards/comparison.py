"""The manager comparison table: report values per manager, sorted, with the median row and extremes marked."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .presentation import extremes, format_value, label, median_of, numeric, unit
from .reports import Person

COLUMNS = (
    "calls_out",
    "calls_in",
    "talk_time_s",
    "proposals_sent",
    "leads_new",
    "first_response_median_s",
    "callback_on_time_rate",
    "deals_won",
    "deals_lost",
    "win_rate",
    "revenue_won",
    "avg_check",
    "touches_per_won_deal_mean",
    "sales_cycle_median_s",
    "upsell_rate",
    "repeat_deals_won",
    "qa_score_avg",
)


@dataclass
class Cell:
    key: str
    value: Any
    text: str
    mark: str = ""  # "strong", "weak" or ""


@dataclass
class Row:
    person: Person | None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    columns: tuple[str, ...]
    rows: list[Row]
    median: Row
    sort: str
    descending: bool


def build_table(report: dict[str, Any], people: list[Person], *, sort: str = "", descending: bool = True) -> Table:
    managers = [p for p in people if p.role == "manager" and p.ref in report["users"]]
    rows = [
        Row(
            p,
            [Cell(key, report["users"][p.ref][key], format_value(key, report["users"][p.ref][key])) for key in COLUMNS],
        )
        for p in managers
    ]
    for index, key in enumerate(COLUMNS):
        column = [row.cells[index].value for row in rows]
        weak, strong = extremes(key, column)
        for row in rows:
            number = numeric(row.cells[index].value)
            if number is not None and number == strong:
                row.cells[index].mark = "strong"
            elif number is not None and number == weak:
                row.cells[index].mark = "weak"
    median = Row(None, [Cell(key, m, format_value(key, m)) for key in COLUMNS for m in [median_of_column(rows, key)]])
    if sort in COLUMNS:
        position = COLUMNS.index(sort)
        present = [r for r in rows if numeric(r.cells[position].value) is not None]
        absent = [r for r in rows if numeric(r.cells[position].value) is None]
        present.sort(key=lambda r: numeric(r.cells[position].value) or Decimal(0), reverse=descending)
        rows = present + absent
    elif sort == "name":
        rows.sort(key=lambda r: r.person.name if r.person else "", reverse=descending)
    return Table(COLUMNS, rows, median, sort, descending)


def median_of_column(rows: list[Row], key: str) -> Decimal | None:
    position = COLUMNS.index(key)
    return median_of([row.cells[position].value for row in rows])


def header() -> list[str]:
    return [_("Manager"), *(label(key) for key in COLUMNS)]


def _export_value(key: str, value: Any) -> Any:
    """A cell as a spreadsheet number: shares in per cent, money and seconds as shown, rounded."""
    number = numeric(value)
    if number is None:
        return None
    kind = unit(key)
    if kind == "share":
        return round(float(number * 100), 1)
    if kind == "money":
        return float(round(number, 2))
    if kind in ("seconds",):
        return int(round(number))
    if kind == "ratio":
        return round(float(number), 2)
    return int(number)


def export_rows(table: Table) -> list[list[Any]]:
    lines: list[list[Any]] = [header()]
    for row in table.rows:
        name = row.person.name if row.person else ""
        lines.append([name, *(_export_value(c.key, c.value) for c in row.cells)])
    lines.append([_("Team median"), *(_export_value(c.key, c.value) for c in table.median.cells)])
    return lines


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in export_rows(table):
        writer.writerow(["" if v is None else v for v in line])
    return out.getvalue()


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Managers")[:31]
    for line in export_rows(table):
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
