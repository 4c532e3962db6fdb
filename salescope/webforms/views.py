from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_config, integration_touch, raw_event_store

from .ratelimit import rate_limit_hit
from .services import INTEGRATION, webform_submit
from .submission import SubmissionInvalid, submission_parse

DEFAULT_LIMIT = 5
DEFAULT_WINDOW_S = 60


def _allowed_origins(config: dict[str, Any]) -> set[str]:
    return {str(o).rstrip("/") for o in config.get("allowed_origins") or []}


def _with_cors(response: HttpResponse, origin: str) -> HttpResponse:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "86400"
    response["Vary"] = "Origin"
    return response


def _errors(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": errors}, status=status)


def _client_ip(request: HttpRequest, config: dict[str, Any]) -> str:
    if config.get("trust_x_forwarded_for"):
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _payload(request: HttpRequest) -> dict[str, Any]:
    """The submitted fields from a JSON body or a form-encoded one; ValueError names what is wrong."""
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise ValueError(f"the body is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("the JSON body must be an object of fields")
        return data
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {key: request.POST.get(key) for key in request.POST}
    raise ValueError(f"send application/json or a form-encoded body, not {content_type or 'nothing'}")


def _submit(request: HttpRequest, config: dict[str, Any]) -> JsonResponse:
    try:
        data = _payload(request)
    except ValueError as exc:
        return _errors({"body": [str(exc)]})
    honeypot = str(config.get("honeypot_field") or "website")
    if data.get(honeypot):  # a person never sees the field; answer as if accepted so the bot learns nothing
        raw_event_store(
            integration=INTEGRATION,
            payload=json.dumps(data, default=str),
            status=RawEvent.Status.REJECTED,
            error="honeypot field filled",
        )
        return JsonResponse({"ok": True}, status=201)
    retry_after = rate_limit_hit(
        _client_ip(request, config),
        limit=int(config.get("rate_limit") or DEFAULT_LIMIT),
        window_s=int(config.get("rate_window_s") or DEFAULT_WINDOW_S),
        cache_alias=str(config.get("cache") or "default"),
    )
    if retry_after:
        response = _errors({"__all__": ["too many submissions from this address, try again later"]}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    try:
        submission = submission_parse(data)
    except SubmissionInvalid as exc:
        return _errors(exc.errors)
    webform_submit(submission, config)
    raw_event_store(integration=INTEGRATION, payload=json.dumps(data, default=str), status=RawEvent.Status.OK)
    integration_touch(INTEGRATION)
    return JsonResponse({"ok": True}, status=201)


@csrf_exempt
def lead_submit(request: HttpRequest) -> HttpResponse:
    """POST /forms/lead/: the public endpoint the site's form sends to (JSON or form-encoded)."""
    config = integration_config(INTEGRATION)
    if config is None:
        return _errors({"__all__": ["web form intake is off"]}, status=404)
    origin = request.headers.get("Origin", "").rstrip("/")
    if origin and origin not in _allowed_origins(config):
        return _with_cors(_errors({"origin": [f"{origin} is not an allowed site"]}, status=403), "")
    if request.method == "OPTIONS":
        return _with_cors(HttpResponse(status=204), origin)
    if request.method != "POST":
        response = _errors({"__all__": ["use POST"]}, status=405)
        response["Allow"] = "POST, OPTIONS"
        return _with_cors(response, origin)
    return _with_cors(_submit(request, config), origin)


def snippet_code(request: HttpRequest) -> str:
    config = integration_config(INTEGRATION) or {}
    endpoint = request.build_absolute_uri(reverse("webforms:lead"))
    honeypot = str(config.get("honeypot_field") or "website")
    return render_to_string("webforms/snippet_code.html", {"endpoint": endpoint, "honeypot": honeypot})


@login_required
def snippet_page(request: HttpRequest) -> HttpResponse:
    config = integration_config(INTEGRATION)
    return render(
        request,
        "webforms/snippet.html",
        {
            "code": snippet_code(request),
            "enabled": config is not None,
            "origins": sorted(_allowed_origins(config or {})),
        },
    )
