"""Presentation data that is not a metric: when a manager's calls happen (hour × weekday)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings

from salescope.activities.models import Activity
from salescope.analytics.period import day_start

from .periods import Span


def call_heatmap(user_id: int, span: Span) -> list[list[int]]:
    """Calls (both directions, any status) started in the span: 7 rows (Mon..Sun) × 24 hours, local time."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = day_start(span.date_from, tz)
    end = day_start(span.date_to.fromordinal(span.date_to.toordinal() + 1), tz)
    grid = [[0] * 24 for _ in range(7)]
    starts = Activity.objects.filter(
        user_id=user_id, kind="call", started_at__gte=start, started_at__lt=end
    ).values_list("started_at", flat=True)
    for instant in starts:
        local = instant.astimezone(tz)
        grid[local.weekday()][local.hour] += 1
    return grid
