"""Metric values per day or week: the engine's own items and aggregates, split by the items' dates.

For these metrics an item belongs to a bucket exactly when it would belong to that bucket's own report
(a closed deal by closed_at, a call by started_at), so each point equals build_report over the bucket
(tested); the split avoids loading the records once per bucket. On the engine's fast path the analytics
summary gives the same points from the state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from salescope.analytics import summary
from salescope.analytics.compute import Engine
from salescope.analytics.registry import metric_by_key

from .periods import Span, buckets

DATE_FIELDS = {"closed_deals": "closed_at", "activities": "started_at", "payments": "at"}
SERIES_METRICS = ("revenue_won", "deals_won", "paid", "calls_in", "calls_out", "calls_in_missed")


def series(engine: Engine, owners: list[int] | None, span: Span, keys: tuple[str, ...] = SERIES_METRICS) -> dict:
    """{"labels": [first day of each bucket], "<metric>": [value per bucket]}."""
    parts = buckets(span)
    tz = engine.facts.period.tz
    result: dict[str, Any] = {"labels": [part.date_from.isoformat() for part in parts]}
    starts = [part.date_from for part in parts]
    if engine.facts.summary is not None and set(keys) <= set(summary.SERIES_KEYS):
        fast = summary.series(engine.facts.period, owners, starts)
        return result | {key: fast[key] for key in keys}
    for key in keys:
        metric = metric_by_key(key, engine.facts.criteria)
        field = DATE_FIELDS[metric.source]
        grouped: list[list[Any]] = [[] for _ in parts]
        for item in engine.items(metric, owners):
            day = getattr(item, field).astimezone(tz).date()
            grouped[_bucket_index(starts, day)].append(item)
        result[key] = [metric.aggregate(items) for items in grouped]
    return result


def _bucket_index(starts: list[dt.date], day: dt.date) -> int:
    index = 0
    for position, start in enumerate(starts):
        if start <= day:
            index = position
    return index
