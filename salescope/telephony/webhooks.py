"""The shared path of every telephony webhook: enabled? signed? readable? then ingest, log and touch."""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from salescope.core.errors import ServiceError
from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_touch, raw_event_store

from .adapters import Adapter
from .events import EventError
from .lookups import config_of
from .routing import Routing
from .services import call_ingest

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
        routing = Routing.from_config(config)
        events = adapter.parse(request, config, received_at)
        with transaction.atomic():
            for event in events:
                call_ingest(event, routing=routing, received_at=received_at)
            raw_event_store(
                integration=key, payload=_payload(request), headers=_headers(request), status=RawEvent.Status.OK
            )
            integration_touch(key)  # last: the integration row is locked only until the commit
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
    return HttpResponse(json.dumps({"ok": True, "events": len(events)}), content_type="application/json")
