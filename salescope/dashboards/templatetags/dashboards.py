"""Every metric value on a screen is a link to its records, with the registry's definition on hover."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..periods import Span
from ..presentation import definition, format_value, label

register = template.Library()


def records_url(key: str, span: Span, user: str = "", team: str = "", extra: dict[str, str] | None = None) -> str:
    params: dict[str, str] = {"from": span.date_from.isoformat(), "to": span.date_to.isoformat(), "period": "custom"}
    if user:
        params["user"] = user
    if team:
        params["team"] = team
    params.update(extra or {})
    return f"{reverse('dashboards:records', args=[key])}?{urlencode(params)}"


@register.simple_tag
def metric(key: str, value: Any, span: Span, user: str = "", team: str = "", text: str = "") -> SafeString:
    return format_html(
        '<a class="metric" href="{}" title="{}" data-metric="{}">{}</a>',
        records_url(key, span, user, team),
        f"{label(key)}: {definition(key)}",
        key,
        text or format_value(key, value),
    )


@register.simple_tag
def metric_label(key: str) -> SafeString:
    return format_html('<span class="metric-label" title="{}">{}</span>', definition(key), label(key))


@register.simple_tag
def records_link(key: str, span: Span, user: str = "", team: str = "", field: str = "", value: str = "") -> str:
    return records_url(key, span, user, team, {"field": field, "value": value} if field else None)


@register.simple_tag
def funnel_step_link(span: Span, pipeline: str, number: int, user: str = "", team: str = "", source: str = "") -> str:
    """The leads behind a funnel step: created in the period, of the pipeline, with reach ≥ the step's number."""
    extra = {"pipeline": pipeline, "min_reach": str(number)}
    if source not in ("", "*"):
        extra |= {"field": "source", "value": source}
    return records_url("leads_new", span, user, team, extra)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def metric_doc(key: str) -> str:
    return f"{label(key)}: {definition(key)}"


@register.filter
def seconds(value: Any) -> str:
    """A delay in seconds, shown like the first-response metrics."""
    return format_value("first_response_median_s", value)


@register.filter
def local_time(value: str | dt.datetime | None) -> str:
    """An instant from the engine as `27.11.2026 14:05` in the department's time zone."""
    if not value:
        return "—"
    instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return date_format(timezone.localtime(instant), "SHORT_DATETIME_FORMAT")
