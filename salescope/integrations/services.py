"""The shared edge of every channel: configuration, raw payload log, health status."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from .models import Integration, RawEvent


def integration_config(key: str) -> dict[str, Any] | None:
    """The settings of an enabled integration, or None when it is off or not configured."""
    found = Integration.objects.filter(key=key, enabled=True).values_list("config", flat=True).first()
    return dict(found) if found is not None else None


def integration_configure(key: str, /, *, enabled: bool = True, **config: Any) -> Integration:
    integration, _ = Integration.objects.update_or_create(key=key, defaults={"enabled": enabled, "config": config})
    return integration


def raw_event_store(
    *, integration: str, payload: str | bytes, headers: dict[str, str] | None = None, status: str, error: str = ""
) -> RawEvent:
    text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else payload
    return RawEvent.objects.create(
        integration=integration, payload=text, headers=headers or {}, status=status, error=error
    )


def integration_touch(key: str, *, error: str = "") -> None:
    """Record that an event arrived (and the error it caused, if any) for the status page."""
    now = timezone.now()
    updates: dict[str, Any] = {"last_event_at": now, "events_received": F("events_received") + 1}
    if error:
        updates.update(last_error=error, last_error_at=now)
    if not Integration.objects.filter(key=key).update(**updates):
        Integration.objects.get_or_create(key=key)
        Integration.objects.filter(key=key).update(**updates)
