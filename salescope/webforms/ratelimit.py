"""Submissions per client IP in a fixed window, counted in a Django cache."""

from __future__ import annotations

import time

from django.core.cache import caches


def rate_limit_hit(ip: str, *, limit: int, window_s: int, cache_alias: str = "default") -> int:
    """Count one submission from `ip`; return 0 when allowed, else the seconds until the window ends."""
    cache = caches[cache_alias]
    now = int(time.time())
    window = now // window_s
    key = f"webforms:rate:{ip}:{window}"
    cache.add(key, 0, timeout=window_s + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_s + 1)
        count = 1
    if count <= limit:
        return 0
    return (window + 1) * window_s - now
