"""docs/metrics.md, generated from the registry (`salescope analytics docs`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .registry import FAMILIES, METRICS, PLAN_METRICS, QA_CRITERION_DOC, SOURCE_METRICS

DOCS_PATH = Path(settings.BASE_DIR).parent / "docs" / "metrics.md"

INTRO = """# Salescope metrics / Метрики Salescope

<!-- Generated from salescope/analytics/registry.py by `salescope analytics docs`; do not edit by hand. -->

Every screen, export and API response shows these values; they are computed by one
code path (`salescope.analytics.report.build_report`). The exact rules are those of
the product specification (metrics.md); this page states them in our own words.

Все экраны, выгрузки и ответы API показывают именно эти значения; они вычисляются
одним путём (`build_report`).

## Where to get the numbers / Где смотреть

- `salescope report --from 2026-03-01 --to 2026-03-31 [--as-of 2026-04-05T12:00:00+03:00] [--tz Europe/Moscow]
  --format json|csv|xlsx|table [--output FILE]` prints the report. `--team T` keeps team T and its members in
  `users`/`teams`; `--user U` keeps user U only (and no team unless `--team` is given); the department, funnel
  and sources always cover the whole department. Bad arguments print one line and exit with status 2.
- `salescope report ... --explain METRIC [--user U | --team T]` lists the records (ids, times, delays, amounts)
  that make up the value of METRIC for U, T or the department; they come from the same computation.
- REST API (`docs/openapi.json`): `GET /api/v1/reports/department?from=&to=&as_of=&tz=` returns the same JSON;
  `GET /api/v1/reports/records?metric=&user=&team=&from=&to=&as_of=&tz=` the drill-down. Authenticate with the
  session or `Authorization: Bearer <token>` (`salescope api_token USER` creates one).

## Report parameters / Параметры отчёта

- **Period P** is `[from 00:00, (to + 1 day) 00:00)` in the report's time zone (`--tz`, else the
  department's `SALESCOPE_TIME_ZONE`). A local midnight that does not exist starts the day at its first
  valid instant; a midnight that occurs twice starts it at the first occurrence.
  Период P — `[from 00:00, (to + 1 день) 00:00)` в часовом поясе отчёта.
- **as_of** is the moment the report is computed for (default: now). A record exists only if the moment that
  creates it is at or before as_of (deal created_at, stage change at, activity started_at, task created_at,
  invoice issued_at, payment paid_at, QA review at — and its call must exist); an ad-spend row exists if its
  date is on or before the local date of as_of. "Current" state is the state as of as_of.
  as_of — момент, на который строится отчёт: запись существует, только если момент её создания не позже as_of.
- **Roll-up.** Activity metrics belong to the activity's user, deal metrics (and invoices, payments) to the
  deal's owner, task metrics to the task's user. A team's value is computed over the pooled records of its
  members (medians over all their items, distinct dates, distinct contacts). The department is all records,
  including those with no user. For a restricted caller (API or web), the department is the same computation
  over the users they may see (records with no user are then left out); funnel and sources count their deals,
  while ad spend (which has no owner) stays the department's.
  Значение команды считается по объединённым записям её участников; отдел — по всем записям, включая записи
  без пользователя.
- **Values.** Counts are integers, durations are seconds (an integer where exact, else a decimal number, e.g.
  90.5), money is a string with 2 places (`"1500.00"`; money obtained by division is rounded half-up), shares
  are numbers in [0, 1]. A sum over nothing is 0; a mean, median, percentile or ratio over nothing is null.
  The median of an even count is the mean of the two middle values; the 90th percentile is the value at rank
  ceil(9n/10) of the ascending list. Bounds "within X" are inclusive.
- **Terms.** A *touch* reached the client: an answered call (either direction), an outbound e-mail or
  message, a proposal, a meeting. A *reply attempt* is a touch or an outbound call of any status. An activity is
  "to a contact" when its contact is that contact. A deal's current stage is the last stage change at or before
  as_of (ties in the order of recording); it is won/lost when that stage is of kind won/lost, and its closed_at
  is then the time of that change.
  Касание — контакт, дошедший до клиента; попытка ответа — касание или любой исходящий звонок.
"""


def _unit(unit: str) -> str:
    return {"count": "integer", "seconds": "seconds", "money": "money string", "share": "share 0..1"}.get(unit, unit)


def generate() -> str:
    lines = [INTRO.rstrip(), ""]
    for family in FAMILIES:
        lines += [f"## {family.title_en} / {family.title_ru}", "", f"{family.scope_en} {family.scope_ru}", ""]
        metrics = [m for m in METRICS if m.family == family.key]
        if metrics or family.key == "quality":
            lines += ["| key | unit | en | ru |", "|---|---|---|---|"]
            for metric in metrics:
                lines.append(
                    f"| `{metric.key}` | {_unit(metric.unit)} | **{metric.label_en}.** {metric.doc_en} | "
                    f"**{metric.label_ru}.** {metric.doc_ru} |"
                )
            if family.key == "quality":
                key, doc_en, doc_ru = QA_CRITERION_DOC
                lines.append(f"| `{key}` | share 0..1 | {doc_en} | {doc_ru} |")
            lines.append("")
        lines += _extra(family.key)
    return "\n".join(lines).rstrip() + "\n"


def _extra(family: str) -> list[str]:
    if family == "plan":
        return [
            f"Plans are monthly targets on {', '.join(f'`{m}`' for m in PLAN_METRICS)}. When P is exactly one or "
            "more whole calendar months, each user or team with a target in at least one month of P gets "
            '`plan.<metric>` = `{"target", "fact", "rate"}`: target is the sum of the months\' targets as a money '
            "string (a month without a target adds 0), fact is the metric over P for the user or the team's members "
            "in its own type, rate is fact / target (null when the target is 0). Otherwise, and always for the "
            "department, `plan` is `{}`.",
            "",
            "Планы — месячные цели. Если P — ровно целые календарные месяцы, пользователь или команда с целью хотя "
            "бы в одном месяце получает `plan.<metric>`: цель — сумма целей месяцев, факт — значение метрики за P, "
            "rate — факт / цель (null при нулевой цели). Иначе и для отдела `plan` пуст.",
            "",
        ]
    if family == "funnel":
        return [
            "A pipeline's open stages are numbered 1..k in order and its won stages k + 1. A deal's reach is the "
            "highest number among the stages of its history up to as_of (lost stages have none; 0 if the deal was "
            "never in an open or won stage). `funnel.<pipeline>` lists, for each open stage s, the deals created "
            "in P with reach ≥ number(s), then `won`: deals with reach = k + 1 (a deal won and later reopened "
            "still counts). Every pipeline appears, with zeros when none of its deals was created in P.",
            "",
            "Открытые этапы воронки нумеруются 1..k, выигрышные — k + 1; «достигнутый» этап сделки — наибольший "
            "номер в её истории до as_of. Для каждого открытого этапа — число сделок, созданных в P, дошедших до "
            "него или дальше, затем `won`.",
            "",
        ]
    if family == "end_to_end":
        lines = [
            'Leads are deals created in P attributed to their contact\'s source and campaign (absent: `""`). '
            "Sources listed are those of the leads in P and those with spend in P; under each, `campaigns` holds "
            "the campaigns of its leads and of its spend in P.",
            "",
            "Лиды — сделки, созданные в P, по источнику и кампании их контакта.",
            "",
            "| key | unit | en | ru |",
            "|---|---|---|---|",
        ]
        for metric in SOURCE_METRICS:
            lines.append(
                f"| `{metric.key}` | {_unit(metric.unit)} | **{metric.label_en}.** {metric.doc_en} | "
                f"**{metric.label_ru}.** {metric.doc_ru} |"
            )
        return [*lines, ""]
    return []


def write(path: Path = DOCS_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate(), encoding="utf-8")
    return path
