"""How a metric value is shown: label and definition from the registry, formatting by unit, change and rank.

No metric is computed here: values come from the analytics report as they are.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from salescope.analytics.registry import METRICS, QA_CRITERION_DOC, Metric
from salescope.web.templatetags.salescope_format import duration, money

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}

# Metrics where a smaller value is the better one (for highlights and the colour of a change).
LOWER_IS_BETTER = frozenset(
    {
        "calls_in_missed",
        "answer_wait_avg_s",
        "missed_call_return_median_s",
        "message_reply_median_s",
        "first_response_median_s",
        "first_response_p90_s",
        "leads_without_response",
        "callbacks_late",
        "callbacks_missed",
        "deals_lost",
        "sales_cycle_median_s",
        "sales_cycle_mean_s",
        "touches_per_won_deal_mean",
        "touches_per_won_deal_median",
    }
)


def _russian() -> bool:
    return not (get_language() or "ru").startswith("en")


def unit(key: str) -> str:
    metric = BY_KEY.get(key)
    return metric.unit if metric else ("share" if key.startswith("qa_") else "count")


def label(key: str) -> str:
    metric = BY_KEY.get(key)
    if metric is None:
        return key
    return metric.label_ru if _russian() else metric.label_en


def definition(key: str) -> str:
    metric = BY_KEY.get(key)
    if metric is None:
        return QA_CRITERION_DOC[2] if _russian() else QA_CRITERION_DOC[1]
    return metric.doc_ru if _russian() else metric.doc_en


def numeric(value: Any) -> Decimal | None:
    """A report value as a number to compare (money strings included)."""
    if value is None or isinstance(value, dict | bool):
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def format_value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    kind = unit(key)
    number = numeric(value)
    if number is None:
        return "—"
    if kind == "money":
        return money(number)
    if kind == "share":
        return number_format(number * 100, decimal_pos=1, use_l10n=True) + "\xa0%"
    if kind == "seconds":
        seconds = number
        if key.startswith("sales_cycle") or (seconds >= 86400 and key != "talk_time_s"):
            days = number_format(seconds / 86400, decimal_pos=1, use_l10n=True)
            return _("%(days)s d") % {"days": days}
        return duration(int(seconds.to_integral_value()))
    if kind == "ratio":
        return number_format(number, decimal_pos=2, use_l10n=True)
    return number_format(number, decimal_pos=0, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Change:
    text: str
    better: bool | None  # None: no change or nothing to compare


def change(key: str, current: Any, previous: Any) -> Change:
    """The change against the previous period: percentage points for shares, per cent otherwise."""
    now, before = numeric(current), numeric(previous)
    if now is None or before is None or now == before:
        return Change("±0" if now is not None and now == before else "", None)
    better = (now > before) != (key in LOWER_IS_BETTER)
    if unit(key) == "share":
        points = number_format((now - before) * 100, decimal_pos=1, use_l10n=True)
        return Change(("+" if now > before else "") + points + "\xa0" + _("pp"), better)
    if before == 0:
        return Change(_("new"), better)
    percent = number_format((now - before) / before * 100, decimal_pos=0, use_l10n=True)
    return Change(("+" if now > before else "") + percent + "\xa0%", better)


def median_of(values: list[Any]) -> Decimal | None:
    """The median of the shown values (a presentation aid for spotting outliers)."""
    numbers = [n for n in (numeric(v) for v in values) if n is not None]
    return statistics.median(numbers) if numbers else None


def extremes(key: str, values: list[Any]) -> tuple[Decimal | None, Decimal | None]:
    """(weakest, strongest) of a column; nothing to mark when all values are equal or fewer than two."""
    numbers = [n for n in (numeric(v) for v in values) if n is not None]
    if len(numbers) < 2 or min(numbers) == max(numbers):
        return None, None
    if key in LOWER_IS_BETTER:
        return max(numbers), min(numbers)
    return min(numbers), max(numbers)
