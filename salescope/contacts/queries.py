"""Reads of contacts, always through the reader's scope."""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q, QuerySet

from salescope.core.phones import InvalidPhone, normalize_phone
from salescope.core.scope import Scope, scoped

from .models import Contact, ContactEmail, ContactPhone

_PHONE_CHARS = re.compile(r"^[\d\s()+\-.]+$")


def _case_variants(text: str) -> list[str]:
    """SQLite folds case of ASCII only, so Cyrillic is searched as typed, lower, upper and capitalized."""
    variants: list[str] = []
    for variant in (text, text.lower(), text.upper(), text.capitalize(), text.title()):
        if variant not in variants:
            variants.append(variant)
    return variants


def contact_search_q(text: str) -> Q:
    """Name, company, e-mail (substring) or a phone typed in any format."""
    text = text.strip()
    if not text:
        return Q()
    words = Q()
    for variant in _case_variants(text):
        words |= Q(name__icontains=variant) | Q(company__icontains=variant)
    condition = words | Q(pk__in=ContactEmail.objects.filter(address__icontains=text).values("contact_id"))
    if _PHONE_CHARS.match(text):
        try:
            number = normalize_phone(text)
        except InvalidPhone:
            number = ""
        digits = re.sub(r"\D", "", text)
        phones = Q(number=number) if number else Q()
        if len(digits) >= 4:
            phones |= Q(number__contains=digits)
        if phones:
            condition |= Q(pk__in=ContactPhone.objects.filter(phones).values("contact_id"))
    return condition


def contact_list(*, scope: Scope, search: str = "") -> QuerySet[Contact]:
    """The contacts the scope may see, matching `search`, by name; the first phone comes prefetched."""
    contacts = scoped(Contact.objects.all(), scope).filter(contact_search_q(search))
    return contacts.select_related("owner").prefetch_related("phones").order_by("name", "id")


def contact_card(*, scope: Scope, contact_id: int) -> Contact:
    """One contact with its owner, phones and e-mails; Contact.DoesNotExist outside the scope."""
    contacts = scoped(Contact.objects.all(), scope).select_related("owner")
    return contacts.prefetch_related(
        Prefetch("phones", queryset=ContactPhone.objects.order_by("position", "id")),
        Prefetch("emails", queryset=ContactEmail.objects.order_by("position", "id")),
    ).get(pk=contact_id)
