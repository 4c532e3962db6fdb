import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from salescope.demo.generator import build_demo_bundle

TODAY = dt.date(2026, 3, 20)
NOW = dt.datetime(2026, 3, 20, 15, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.fixture(scope="session")
def demo_bundle() -> dict[str, Any]:
    """A mid-size demo (enough deals per manager for the patterns), built once; tests must not change it."""
    return build_demo_bundle(today=TODAY, now=NOW, contacts=800)
