"""The integration status row under concurrent webhooks: nobody waits for it, and no event goes uncounted."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from salescope.integrations.models import Integration
from salescope.integrations.services import integration_configure, integration_touch, integration_touch_flush


@pytest.mark.django_db(transaction=True)
def test_a_busy_status_row_does_not_block_a_webhook_and_its_count_comes_later() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite writes one transaction at a time anyway")
    integration_configure("generic", secret="s")
    locked, release = threading.Event(), threading.Event()

    def another_worker_writing_the_row() -> None:
        with transaction.atomic():
            Integration.objects.select_for_update().get(key="generic")
            locked.set()
            release.wait(3)
        connections.close_all()

    worker = threading.Thread(target=another_worker_writing_the_row)
    worker.start()
    assert locked.wait(5)
    began = time.monotonic()
    with transaction.atomic():
        integration_touch("generic")
        integration_touch("generic")
    waited = time.monotonic() - began
    release.set()
    worker.join()
    assert waited < 1.0
    assert Integration.objects.get(key="generic").events_received == 0  # held back, not lost
    integration_touch("generic")
    assert Integration.objects.get(key="generic").events_received == 3
    integration_touch_flush()  # nothing left to write
    assert Integration.objects.get(key="generic").events_received == 3


@pytest.mark.django_db(transaction=True)
def test_an_error_is_written_at_once_with_the_counts_held_back() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    integration_configure("generic", secret="s")
    locked, release = threading.Event(), threading.Event()

    def another_worker_writing_the_row() -> None:
        with transaction.atomic():
            Integration.objects.select_for_update().get(key="generic")
            locked.set()
            release.wait(3)
        connections.close_all()

    worker = threading.Thread(target=another_worker_writing_the_row)
    worker.start()
    assert locked.wait(5)
    integration_touch("generic")  # busy: held back
    release.set()
    integration_touch("generic", error="body: not valid JSON")  # waits for the row, then writes both
    worker.join()
    status = Integration.objects.get(key="generic")
    assert (status.events_received, status.last_error) == (2, "body: not valid JSON")


@pytest.mark.django_db(transaction=True)
def test_threads_of_one_worker_holding_counts_back_lose_none() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    integration_configure("generic", secret="s")
    locked, release = threading.Event(), threading.Event()

    def another_worker_writing_the_row() -> None:
        with transaction.atomic():
            Integration.objects.select_for_update().get(key="generic")
            locked.set()
            release.wait(10)
        connections.close_all()

    def a_thread_taking_webhooks() -> None:
        for _ in range(5):
            with transaction.atomic():
                integration_touch("generic")
        connections.close_all()

    holder = threading.Thread(target=another_worker_writing_the_row)
    holder.start()
    assert locked.wait(5)
    threads = [threading.Thread(target=a_thread_taking_webhooks) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    release.set()
    holder.join()
    integration_touch("generic")
    assert Integration.objects.get(key="generic").events_received == 31
