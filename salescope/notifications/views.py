"""The user's own notifications: the list page, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from salescope.core.http import safe_next_url

from .queries import notification_list
from .services import notifications_mark_read

PAGE_SIZE = 30


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`id`) or all of them; then follow the notification's link if given."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    notifications_mark_read(user=request.user, ids=ids)  # type: ignore[arg-type]
    return redirect(safe_next_url(request, reverse("notification_list")))
