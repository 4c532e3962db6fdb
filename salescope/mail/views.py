from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salescope.accounts.models import User
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.core.http import safe_next_url
from salescope.core.scope import scope_for, scoped

from .services import mail_send


@login_required
@require_POST
def mail_send_view(request: HttpRequest, contact_ref: str) -> HttpResponse:
    user = cast(User, request.user)
    contact = get_object_or_404(scoped(Contact.objects.all(), scope_for(user)), ref=contact_ref)
    try:
        activity = mail_send(
            contact=contact,
            user=user,
            subject=request.POST.get("subject", ""),
            body=request.POST.get("body", ""),
            in_reply_to=request.POST.get("in_reply_to", ""),
        )
    except ServiceError as exc:
        if getattr(request, "htmx", False):
            context = {"contact": contact, "error": exc.message}
            return render(request, "mail/_send_result.html", context, status=400)
        messages.error(request, _("The letter was not sent: %(reason)s") % {"reason": exc.message})
        return redirect(safe_next_url(request, "/", use_referer=True))
    if getattr(request, "htmx", False):
        return render(request, "mail/_send_result.html", {"contact": contact, "activity": activity})
    messages.success(request, _("Letter sent."))
    return redirect(safe_next_url(request, "/", use_referer=True))
