"""Per-process caches of what every webhook looks up but rarely changes: the integration's settings, the manager
behind an extension or a line, the lead team and pipeline.

Entries live for `TTL` seconds, so a change made in another process (the admin, another worker) applies within
that time; any save or delete of an integration, user, team or pipeline in this process empties the caches at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models.signals import post_delete, post_save

from salescope.accounts.models import Team, User
from salescope.accounts.services import user_by_extension
from salescope.deals.models import Pipeline
from salescope.integrations.leads import lead_pipeline
from salescope.integrations.models import Integration
from salescope.integrations.services import integration_config

TTL = 5.0
_MISSING = object()
_entries: dict[tuple[str, str], tuple[float, Any]] = {}
T = TypeVar("T")


def _cached(kind: str, key: str, load: Callable[[], T]) -> T:
    now = time.monotonic()
    found = _entries.get((kind, key))
    if found is not None and found[0] > now:
        value: T = found[1]
        return value
    value = load()
    _entries[(kind, key)] = (now + TTL, value)
    return value


def lookups_clear(*args: object, **kwargs: object) -> None:
    _entries.clear()


def config_of(key: str) -> dict[str, Any] | None:
    """`integration_config(key)`, cached."""
    return _cached("config", key, lambda: integration_config(key))


def user_by_ext(extension: str) -> User | None:
    """The active manager with this extension, cached."""
    return _cached("ext", extension, lambda: user_by_extension(extension))


def user_by_username(username: str) -> User | None:
    return _cached("username", username, lambda: User.objects.filter(is_active=True, username=username).first())


def team_by_ref(ref: str) -> Team | None:
    return _cached("team", ref, lambda: Team.objects.filter(ref=ref).first())


def pipeline_by_ref(ref: str) -> Pipeline | None:
    """`lead_pipeline(ref)` (the first pipeline for ""), cached."""
    return _cached("pipeline", ref, lambda: lead_pipeline(ref or None))


def connect_invalidation() -> None:
    for model in (Integration, User, Team, Pipeline):
        post_save.connect(lookups_clear, sender=model, dispatch_uid=f"telephony-lookups-save-{model.__name__}")
        post_delete.connect(lookups_clear, sender=model, dispatch_uid=f"telephony-lookups-delete-{model.__name__}")
