"""Formatting for the web shell: money and numbers in the active locale, durations, safe links."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format

register = template.Library()

CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "UAH": "₴"}


@register.filter
def money(value: Decimal | int | None) -> str:
    """`150000` → `150 000,00 ₽` in Russian, `150,000.00 ₽` in English."""
    if value is None or value == "":
        return ""
    amount = number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    currency = settings.SALESCOPE_CURRENCY
    return f"{amount}\xa0{CURRENCY_SIGNS.get(currency, currency)}"


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds as `m:ss` (or `h:mm:ss`)."""
    if seconds is None or seconds == "":
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def safe_url(url: str) -> str:
    """Only web links are rendered (never `javascript:` and the like)."""
    text = (url or "").strip()
    return text if text.lower().startswith(("https://", "http://", "/")) else ""


@register.simple_tag(takes_context=True)
def page_query(context: template.Context) -> str:
    """The current query string without `page`, ready to be followed by `page=N`."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


@register.filter
def line_total(item: object) -> Decimal:
    """A deal item's quantity × price."""
    return Decimal(item.price) * int(item.quantity)  # type: ignore[attr-defined]
