from __future__ import annotations

from typing import Any

from django import template

from salescope.notifications.queries import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notification_badge(context: template.Context) -> dict[str, Any]:
    """The bell in the top bar with the number of unread notifications."""
    user = context["request"].user
    return {"unread": unread_count(user=user) if user.is_authenticated else 0}
