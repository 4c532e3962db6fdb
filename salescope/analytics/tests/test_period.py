"""Periods cut in the report's zone, across DST gaps and repeated midnights."""

import datetime as dt

import pytest

from salescope.analytics.period import day_start, make_period, zone
from salescope.analytics.report import build_report

UTC = dt.UTC


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "name, day, start",
    [
        ("Europe/Moscow", "2026-03-01", "2026-02-28 21:00"),
        ("Europe/Berlin", "2026-03-29", "2026-03-28 23:00"),  # the gap is at 02:00, midnight exists
        ("America/Santiago", "2026-09-06", "2026-09-06 04:00"),  # midnight does not exist: 01:00 -03
        ("Africa/Cairo", "2026-04-24", "2026-04-23 22:00"),  # midnight does not exist: 01:00 +03
        ("America/Havana", "2026-11-01", "2026-11-01 04:00"),  # midnight occurs twice: the first (-04)
        ("America/Santiago", "2026-04-05", "2026-04-05 04:00"),  # clocks go back at midnight to 23:00
    ],
)
def test_day_start(name, day, start):
    assert day_start(dt.date.fromisoformat(day), zone(name)) == utc(start)


def test_period_bounds_and_errors():
    period = make_period(
        date_from=dt.date(2026, 9, 6), date_to=dt.date(2026, 9, 6), tz="America/Santiago", as_of=utc("2026-10-01 00:00")
    )
    assert (period.start, period.end) == (utc("2026-09-06 04:00"), utc("2026-09-07 03:00"))
    with pytest.raises(ValueError, match="before"):
        make_period(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 1))
    with pytest.raises(ValueError, match="unknown time zone"):
        make_period(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1), tz="Nowhere/Land")
    with pytest.raises(ValueError, match="offset"):
        make_period(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1), as_of=dt.datetime(2026, 3, 1))


@pytest.mark.django_db
def test_report_in_a_zone_with_a_missing_midnight(dept):
    c = dept.contact("c1")
    for instant in ("2026-09-06 03:59:59", "2026-09-06 04:00", "2026-09-07 02:59:59", "2026-09-07 03:00"):
        dept.act("call", f"{instant}+00:00", dept.u1, contact=c, direction="out", status="missed")
    result = build_report(
        date_from=dt.date(2026, 9, 6), date_to=dt.date(2026, 9, 6), tz="America/Santiago", as_of=utc("2026-10-01 00:00")
    )
    assert result["period"] == {
        "from": "2026-09-06",
        "to": "2026-09-06",
        "timezone": "America/Santiago",
        "as_of": "2026-09-30T21:00:00-03:00",
    }
    assert (result["users"]["u1"]["calls_out"], result["users"]["u1"]["active_days"]) == (2, 1)


@pytest.mark.django_db
def test_report_in_a_zone_with_a_repeated_midnight(dept):
    c = dept.contact("c1")
    # 00:30 occurs twice on 2026-11-01 in Havana (04:30 and 05:30 UTC); 23:59 the day before is 03:59 UTC
    for instant in ("2026-11-01 03:59", "2026-11-01 04:30", "2026-11-01 05:30", "2026-11-02 04:59", "2026-11-02 05:00"):
        dept.act("call", f"{instant}+00:00", dept.u1, contact=c, direction="out", status="missed")
    result = build_report(
        date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 1), tz="America/Havana", as_of=utc("2026-11-01 04:30")
    )
    assert result["period"]["as_of"] == "2026-11-01T00:30:00-04:00"
    assert result["users"]["u1"]["calls_out"] == 1
    later = build_report(
        date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 1), tz="America/Havana", as_of=utc("2026-11-03 00:00")
    )
    assert (later["users"]["u1"]["calls_out"], later["users"]["u1"]["active_days"]) == (3, 1)
