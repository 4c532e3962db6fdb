"""The e-mail digest: the dashboard's headline numbers and the manager comparison for a subscriber."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from salescope.core.scope import scope_for

from . import comparison, reports
from .models import DigestSubscription, Frequency
from .periods import Span
from .presentation import change, format_value, label

HEADLINE = (
    "revenue_won",
    "paid",
    "deals_won",
    "win_rate",
    "avg_check",
    "leads_new",
    "first_response_median_s",
    "first_response_sla_rate",
    "missed_calls_returned",
    "callback_on_time_rate",
)


def digest_span(frequency: str, today: dt.date) -> Span:
    """A daily digest covers yesterday; a weekly one the previous Monday..Sunday."""
    if frequency == Frequency.WEEKLY:
        monday = today - dt.timedelta(days=today.weekday() + 7)
        return Span("custom", monday, monday + dt.timedelta(days=6))
    yesterday = today - dt.timedelta(days=1)
    return Span("custom", yesterday, yesterday)


def is_due(subscription: DigestSubscription, today: dt.date) -> bool:
    if not subscription.active or subscription.last_sent_on == today:
        return False
    return subscription.frequency == Frequency.DAILY or today.weekday() == 0


def send_digest(subscription: DigestSubscription, today: dt.date) -> None:
    user = subscription.user
    scope = scope_for(user)
    span = digest_span(subscription.frequency, today)
    with translation.override(settings.LANGUAGE_CODE):
        current = reports.report(span, scope)
        previous = reports.report(span.previous(), scope)
        headline = [
            {
                "label": label(key),
                "text": format_value(key, current["department"][key]),
                "change": change(key, current["department"][key], previous["department"][key]).text,
            }
            for key in HEADLINE
        ]
        table = comparison.build_table(current, reports.people(scope), sort="revenue_won")
        context = {"span": span, "headline": headline, "table": table, "header": comparison.header(), "user": user}
        subject = _("Salescope digest %(from)s – %(to)s") % {"from": span.date_from, "to": span.date_to}
        text = render_to_string("dashboards/email/digest.txt", context)
        html = render_to_string("dashboards/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    subscription.last_sent_on = today
    subscription.save(update_fields=["last_sent_on"])


def send_due_digests(today: dt.date) -> int:
    """Send every digest due today to subscribers with an e-mail address; returns how many were sent."""
    sent = 0
    subscriptions = DigestSubscription.objects.filter(active=True).select_related("user").exclude(user__email="")
    for subscription in subscriptions:
        if is_due(subscription, today):
            send_digest(subscription, today)
            sent += 1
    return sent
