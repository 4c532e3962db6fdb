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


@register.filter
def percent(rate: float | None) -> str:
    """A share or a plan rate as a whole percentage in the active locale: 0.934 → `93 %`."""
    if rate is None or rate == "":
        return ""
    return f"{number_format(round(float(rate) * 100), use_l10n=True)}\xa0%"


@register.filter
def bar_width(rate: float | None) -> int:
    """A rate as the width of a progress bar, 0–100."""
    if rate is None or rate == "":
        return 0
    return max(0, min(100, round(float(rate) * 100)))


@register.filter
def plain_number(value: str | Decimal | None) -> str:
    """A plan target ("12.00") as a number without needless decimals (`12`), grouped for the locale."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    places = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def attachment_name(path: str) -> str:
    """A stored file's name without its folders."""
    return str(path or "").rsplit("/", 1)[-1]
