"""The integration status row under concurrent webhooks: nobody waits for it, and no event goes uncounted."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections, transaction

from salescope.integrations.models import Integration
from salescope.integrations.services import integration_configure, integration_touch, integration_touch_flush


class HeldRow:
    """The generic integration's status row, locked by another worker's transaction until `free()`."""

    def __init__(self) -> None:
        self._locked, self._release = threading.Event(), threading.Event()
        self._holder = threading.Thread(target=self._hold)
        self._holder.start()
        assert self._locked.wait(5)

    def _hold(self) -> None:
        with transaction.atomic():
            Integration.objects.select_for_update().get(key="generic")
            self._locked.set()
            self._release.wait(10)
        connections.close_all()

    def free(self, *, wait: bool = True) -> None:
        self._release.set()
        if wait:
            self._holder.join()


@pytest.fixture
def held_row(transactional_db: None) -> Iterator[HeldRow]:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite writes one transaction at a time anyway")
    integration_configure("generic", secret="s")
    row = HeldRow()
    yield row
    row.free()


def test_a_busy_status_row_does_not_block_a_webhook_and_its_count_comes_later(held_row: HeldRow) -> None:
    began = time.monotonic()
    with transaction.atomic():
        integration_touch("generic")
        integration_touch("generic")
    waited = time.monotonic() - began
    held_row.free()
    assert waited < 1.0
    assert Integration.objects.get(key="generic").events_received == 0  # held back, not lost
    integration_touch("generic")
    assert Integration.objects.get(key="generic").events_received == 3
    integration_touch_flush()  # nothing left to write
    assert Integration.objects.get(key="generic").events_received == 3


def test_an_error_is_written_at_once_with_the_counts_held_back(held_row: HeldRow) -> None:
    integration_touch("generic")  # busy: held back
    held_row.free(wait=False)
    integration_touch("generic", error="body: not valid JSON")  # waits for the row, then writes both
    status = Integration.objects.get(key="generic")
    assert (status.events_received, status.last_error) == (2, "body: not valid JSON")


def test_threads_of_one_worker_holding_counts_back_lose_none(held_row: HeldRow) -> None:
    def a_thread_taking_webhooks() -> None:
        for _ in range(5):
            with transaction.atomic():
                integration_touch("generic")
        connections.close_all()

    threads = [threading.Thread(target=a_thread_taking_webhooks) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    held_row.free()
    integration_touch("generic")
    assert Integration.objects.get(key="generic").events_received == 31
