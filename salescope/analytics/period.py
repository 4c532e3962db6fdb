"""The report period P and the moment as_of, cut in a time zone (metrics.md, "Report parameters")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

UTC = dt.UTC
_STEP = dt.timedelta(minutes=30)


def zone(name: str | None) -> ZoneInfo:
    """The report's zone: `name`, or the department's (SALESCOPE_TIME_ZONE)."""
    key = name or settings.TIME_ZONE
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {key!r}") from exc


def _offset(tz: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(tz).utcoffset()
    assert offset is not None
    return offset


def _transitions(tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime) -> list[dt.datetime]:
    """The instants in [lo, hi] at which the zone's UTC offset changes (to the second)."""
    found: list[dt.datetime] = []
    left = lo
    while left < hi:
        right = min(left + _STEP, hi)
        if _offset(tz, left) != _offset(tz, right):
            a, b = left, right  # offset(a) != offset(b); find the first instant with offset(b)
            while b - a > dt.timedelta(seconds=1):
                mid = a + (b - a) / 2
                mid = mid.replace(microsecond=0)
                if mid <= a:
                    break
                if _offset(tz, mid) == _offset(tz, a):
                    a = mid
                else:
                    b = mid
            found.append(b)
        left = right
    return found


def day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The first instant whose local date in `tz` is `day` or later.

    That is local midnight; where midnight does not exist, the first valid local
    instant of the day; where it occurs twice, its first occurrence.
    """
    midnight = dt.datetime.combine(day, dt.time())
    lo = (midnight - dt.timedelta(days=2)).replace(tzinfo=UTC)
    hi = (midnight + dt.timedelta(days=2)).replace(tzinfo=UTC)
    bounds = [lo, *_transitions(tz, lo, hi), hi]
    for seg_start, seg_end in zip(bounds, bounds[1:], strict=False):
        offset = _offset(tz, seg_start)
        candidate = max(seg_start, (midnight - offset).replace(tzinfo=UTC))
        if candidate < seg_end:
            return candidate
    raise ValueError(f"no start of day {day} in {tz.key}")  # pragma: no cover - zones always have one


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date
    tz: ZoneInfo
    start: dt.datetime
    end: dt.datetime
    as_of: dt.datetime

    def contains(self, instant: dt.datetime) -> bool:
        return self.start <= instant < self.end

    def exists(self, instant: dt.datetime) -> bool:
        return instant <= self.as_of

    def local_date(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(self.tz).date()

    @property
    def as_of_date(self) -> dt.date:
        return self.local_date(self.as_of)

    @property
    def whole_months(self) -> list[dt.date]:
        """The first days of the months of P when P is exactly whole calendar months, else []."""
        if self.date_from.day != 1 or (self.date_to + dt.timedelta(days=1)).day != 1:
            return []
        months: list[dt.date] = []
        month = self.date_from
        while month <= self.date_to:
            months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return months


def make_period(
    *, date_from: dt.date, date_to: dt.date, as_of: dt.datetime | None = None, tz: str | None = None
) -> Period:
    zone_info = zone(tz)
    if date_to < date_from:
        raise ValueError(f"'to' ({date_to}) is before 'from' ({date_from})")
    if as_of is None:
        as_of = dt.datetime.now(UTC).replace(microsecond=0)
    elif as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError(f"as_of has no UTC offset: {as_of.isoformat()}")
    try:
        start = day_start(date_from, zone_info)
        end = day_start(date_to + dt.timedelta(days=1), zone_info)
    except OverflowError as exc:
        raise ValueError(f"dates out of range: {date_from} … {date_to}") from exc
    return Period(date_from=date_from, date_to=date_to, tz=zone_info, start=start, end=end, as_of=as_of.astimezone(UTC))
