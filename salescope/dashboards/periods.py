"""The period a screen shows: a named choice (today, this week, …) or custom dates, in the department's zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHOICES = (
    ("today", _("Today")),
    ("week", _("This week")),
    ("month", _("This month")),
    ("last_month", _("Last month")),
    ("custom", _("Custom")),
)
MAX_DAYS = 366


@dataclass(frozen=True)
class Span:
    choice: str
    date_from: dt.date
    date_to: dt.date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> Span:
        """The previous period of equal length; whole months map to the previous equal number of months."""
        if self.date_from.day == 1 and (self.date_to + dt.timedelta(days=1)).day == 1:
            months = (self.date_to.year - self.date_from.year) * 12 + self.date_to.month - self.date_from.month + 1
            start = self.date_from
            for _step in range(months):
                start = (start - dt.timedelta(days=1)).replace(day=1)
            return Span(self.choice, start, self.date_from - dt.timedelta(days=1))
        return Span(self.choice, self.date_from - dt.timedelta(days=self.days), self.date_from - dt.timedelta(days=1))

    def query(self) -> str:
        if self.choice == "custom":
            return f"period=custom&from={self.date_from.isoformat()}&to={self.date_to.isoformat()}"
        return f"period={self.choice}"


def department_today() -> dt.date:
    return timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def span_for(choice: str, *, today: dt.date, date_from: str = "", date_to: str = "") -> Span:
    """Raise ValueError naming the bad parameter."""
    if choice == "today":
        return Span(choice, today, today)
    if choice == "week":
        return Span(choice, today - dt.timedelta(days=today.weekday()), today)
    if choice == "month":
        return Span(choice, month_start(today), today)
    if choice == "last_month":
        last = month_start(today) - dt.timedelta(days=1)
        return Span(choice, month_start(last), last)
    if choice == "custom":
        start = _date("from", date_from)
        end = _date("to", date_to)
        if end < start:
            raise ValueError(f"to: {end} is before from: {start}")
        if (end - start).days >= MAX_DAYS:
            raise ValueError(f"to: a custom period is at most {MAX_DAYS} days")
        return Span(choice, start, end)
    raise ValueError(f"period: unknown choice {choice!r}")


def span_from_params(params: dict[str, str], *, today: dt.date | None = None, default: str = "month") -> Span:
    return span_for(
        params.get("period") or default,
        today=today or department_today(),
        date_from=params.get("from", ""),
        date_to=params.get("to", ""),
    )


def _date(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{name}: expected a date YYYY-MM-DD, got {text!r}") from exc


def recent_months(today: dt.date, count: int) -> list[Span]:
    """The last `count` calendar months, oldest first; the current month up to today."""
    spans: list[Span] = []
    start = month_start(today)
    for index in range(count):
        end = today if index == 0 else month_end(start)
        spans.append(Span("custom", start, end))
        start = month_start(start - dt.timedelta(days=1))
    return list(reversed(spans))


def buckets(span: Span) -> list[Span]:
    """Days for periods up to 31 days, else weeks (Monday to Sunday, clipped to the period)."""
    if span.days <= 31:
        return [
            Span("custom", span.date_from + dt.timedelta(days=i), span.date_from + dt.timedelta(days=i))
            for i in range(span.days)
        ]
    result: list[Span] = []
    start = span.date_from
    while start <= span.date_to:
        end = min(start + dt.timedelta(days=6 - start.weekday()), span.date_to)
        result.append(Span("custom", start, end))
        start = end + dt.timedelta(days=1)
    return result
