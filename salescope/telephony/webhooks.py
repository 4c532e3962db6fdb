"""The shared path of every telephony webhook: enabled? signed? readable? then queue it (queue.py)."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from salescope.core.errors import ServiceError
from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_touch, raw_event_store

from .adapters import Adapter
from .events import EventError
from .lookups import config_of
from .queue import call_events_queue

log = logging.getLogger(__name__)
KEPT_HEADERS = ("Content-Type", "User-Agent", "Signature", "X-Salescope-Signature", "X-Forwarded-For")


def _payload(request: HttpRequest) -> str:
    body = request.body.decode("utf-8", errors="replace")
    return f"{request.path}\n{body}" if request.resolver_match and request.resolver_match.kwargs else body


def _headers(request: HttpRequest) -> dict[str, str]:
    return {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}


def webhook_handle(request: HttpRequest, adapter: Adapter) -> HttpResponse:
    key = adapter.KEY
    request.body  # noqa: B018  (read the raw body first: signatures and the raw log need it even for multipart)
    config = config_of(key)
    if config is None:
        return JsonResponse({"error": f"the {key} integration is off"}, status=404)
    if not adapter.verify(request, config):
        raw_event_store(
            integration=key,
            payload=_payload(request),
            headers=_headers(request),
            status=RawEvent.Status.REJECTED,
            error="bad signature",
        )
        integration_touch(key, error="rejected a request with a bad signature")
        return JsonResponse({"error": "bad signature"}, status=403)
    received_at = timezone.now()
    try:
        events = adapter.parse(request, config, received_at)
    except (EventError, ServiceError, ValueError) as exc:
        reason = str(exc)
        raw_event_store(
            integration=key,
            payload=_payload(request),
            headers=_headers(request),
            status=RawEvent.Status.ERROR,
            error=reason,
        )
        integration_touch(key, error=reason)
        return JsonResponse({"error": reason}, status=400)
    call_events_queue(
        integration=key, payload=_payload(request), headers=_headers(request), events=events, received_at=received_at
    )
    return HttpResponse(json.dumps({"ok": True, "events": len(events)}), content_type="application/json")
