from __future__ import annotations

import hmac
import json
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from salescope.accounts.models import User
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.core.http import safe_next_url
from salescope.core.scope import scope_for, scoped
from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_config, integration_touch, raw_event_store

from .services import INTEGRATION, message_send, telegram_update_handle

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _logged_headers(request: HttpRequest) -> dict[str, str]:
    """Headers worth keeping with the raw payload; never the secret."""
    return {k: v for k, v in request.headers.items() if k.lower() in {"content-type", "user-agent", "x-forwarded-for"}}


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> JsonResponse:
    config = integration_config(INTEGRATION)
    if config is None:
        return JsonResponse({"error": "the Telegram integration is off"}, status=404)
    expected = str(config.get("secret_token") or "")
    given = request.headers.get(SECRET_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"error": f"missing or wrong {SECRET_HEADER}"}, status=403)
    body = request.body
    headers = _logged_headers(request)
    try:
        outcome = telegram_update_handle(json.loads(body), config)
    except ValueError as exc:  # not JSON, not UTF-8, or not an update
        error = f"invalid JSON: {exc}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raw_event_store(
            integration=INTEGRATION, payload=body, headers=headers, status=RawEvent.Status.REJECTED, error=error
        )
        integration_touch(INTEGRATION, error=error)
        return JsonResponse({"error": error}, status=400)
    except Exception as exc:  # stored for replay; the 500 makes Telegram deliver the update again
        raw_event_store(
            integration=INTEGRATION, payload=body, headers=headers, status=RawEvent.Status.ERROR, error=repr(exc)
        )
        integration_touch(INTEGRATION, error=repr(exc))
        raise
    raw_event_store(integration=INTEGRATION, payload=body, headers=headers, status=RawEvent.Status.OK)
    integration_touch(INTEGRATION)
    return JsonResponse({"ok": True, "outcome": str(outcome)})


@login_required
@require_POST
def message_send_view(request: HttpRequest, contact_ref: str) -> HttpResponse:
    user = cast(User, request.user)
    contact = get_object_or_404(scoped(Contact.objects.all(), scope_for(user)), ref=contact_ref)
    try:
        activity = message_send(contact=contact, user=user, text=request.POST.get("text", ""))
    except ServiceError as exc:
        if getattr(request, "htmx", False):
            context = {"contact": contact, "error": exc.message}
            return render(request, "messaging/_send_result.html", context, status=400)
        messages.error(request, _("The message was not sent: %(reason)s") % {"reason": exc.message})
        return redirect(safe_next_url(request, "/", use_referer=True))
    if getattr(request, "htmx", False):
        return render(request, "messaging/_send_result.html", {"contact": contact, "activity": activity})
    messages.success(request, _("Message sent to Telegram."))
    return redirect(safe_next_url(request, "/", use_referer=True))
