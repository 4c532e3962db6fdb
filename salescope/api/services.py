from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from salescope.accounts.models import User

from .models import ApiToken


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the raw secret is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=token_hash(raw))
    return token, raw


def api_token_user(raw: str) -> User | None:
    """The active user a raw token belongs to (and mark it used), or None."""
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw), revoked=False).first() if raw else None
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
