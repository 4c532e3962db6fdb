"""Small request helpers shared by the views of every app."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str, *, use_referer: bool = False) -> str:
    """The `next` form field (or, if asked, the Referer) when it points to this site, else `fallback`."""
    candidates = [request.POST.get("next", "")]
    if use_referer:
        candidates.append(request.headers.get("Referer", ""))
    for target in candidates:
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return target
    return fallback
