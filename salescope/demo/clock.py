"""Working-time arithmetic for the demo: instants are kept in UTC, days are cut in the department's zone."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

UTC = dt.UTC
WORK_START_HOUR = 9
WORK_END_HOUR = 19


class WorkClock:
    """Moves instants into the department's working hours (weekdays 9:00–19:00 local)."""

    def __init__(self, tz: ZoneInfo, rng: random.Random) -> None:
        self.tz = tz
        self.rng = rng

    def at(self, day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
        """The UTC instant of a local wall time (a wall time in a DST gap is taken as the zone resolves it)."""
        local = dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=self.tz)
        return local.astimezone(UTC)

    def local_date(self, t: dt.datetime) -> dt.date:
        return t.astimezone(self.tz).date()

    def iso(self, t: dt.datetime) -> str:
        return t.astimezone(self.tz).isoformat(timespec="seconds")

    def is_work_time(self, t: dt.datetime) -> bool:
        local = t.astimezone(self.tz)
        return local.weekday() < 5 and WORK_START_HOUR <= local.hour < WORK_END_HOUR

    def next_morning(self, day: dt.date) -> dt.datetime:
        """A moment early in the first working morning on or after `day`."""
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return self.at(day, WORK_START_HOUR, self.rng.randint(2, 45), self.rng.randint(0, 59))

    def to_work(self, t: dt.datetime) -> dt.datetime:
        """`t` itself in working hours, else the next working morning."""
        if self.is_work_time(t):
            return t
        local = t.astimezone(self.tz)
        day = local.date()
        if local.weekday() < 5 and local.hour < WORK_START_HOUR:
            return self.next_morning(day)
        return self.next_morning(day + dt.timedelta(days=1))

    def after(self, t: dt.datetime, min_s: int, max_s: int) -> dt.datetime:
        """A working moment between `min_s` and `max_s` seconds after `t` (later if that falls outside hours)."""
        return self.to_work(t + dt.timedelta(seconds=self.rng.randint(min_s, max_s)))

    def days_later(self, t: dt.datetime, min_days: int, max_days: int) -> dt.datetime:
        """A working moment some days after `t`, at a random hour of the working day."""
        day = self.local_date(t) + dt.timedelta(days=self.rng.randint(min_days, max_days))
        moment = self.at(day, self.rng.randint(WORK_START_HOUR + 1, WORK_END_HOUR - 2), self.rng.randint(0, 59))
        moment = self.to_work(moment + dt.timedelta(seconds=self.rng.randint(0, 59)))
        return max(moment, t + dt.timedelta(minutes=5))
