from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from salescope.accounts.models import User
from salescope.accounts.services import user_create
from salescope.deals.services import pipeline_create
from salescope.integrations.services import integration_configure

SITE = "https://shop.example.ru"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    caches["default"].clear()  # the rate limit counters live there
    yield
    caches["default"].clear()


@pytest.fixture
def manager(db: None) -> User:
    pipeline_create(name="Sales", ref="main", stages=[("new", "New", "open"), ("won", "Won", "won")])
    return user_create(username="kolya", name="Kolya")


@pytest.fixture
def webform(manager: User) -> dict[str, Any]:
    config: dict[str, Any] = {
        "allowed_origins": [SITE, "http://localhost:8080/"],
        "owner_ref": "kolya",
        "rate_limit": 3,
        "rate_window_s": 600,
        "source_map": {"yandex": "yandex_direct"},
    }
    integration_configure("webform", **config)
    return config
