from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from salescope.accounts.models import User
from salescope.analytics import state as analytics_state
from salescope.core.errors import ServiceError
from salescope.core.phones import InvalidPhone, normalize_phone
from salescope.core.refs import new_ref

from .models import Contact, ContactEmail, ContactPhone


def _normalized_phones(phones: Iterable[str]) -> list[str]:
    result: list[str] = []
    for raw in phones:
        try:
            number = normalize_phone(raw)
        except InvalidPhone as exc:
            raise ServiceError("phones", str(exc)) from exc
        if number not in result:
            result.append(number)
    return result


@transaction.atomic
def contact_create(
    *,
    name: str,
    created_at: dt.datetime | None = None,
    owner: User | None = None,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    company: str = "",
    source: str = "",
    campaign: str = "",
    utm: dict[str, str] | None = None,
    ga_client_id: str = "",
    ym_client_id: str = "",
    ref: str | None = None,
) -> Contact:
    if not name.strip():
        raise ServiceError("name", "a contact needs a name")
    numbers = _normalized_phones(phones)
    contact = Contact.objects.create(
        ref=ref or new_ref("contact"),
        name=name.strip(),
        created_at=created_at or timezone.now(),
        owner=owner,
        company=company,
        source=source,
        campaign=campaign,
        utm=utm or {},
        ga_client_id=ga_client_id,
        ym_client_id=ym_client_id,
    )
    ContactPhone.objects.bulk_create(ContactPhone(contact=contact, number=n, position=i) for i, n in enumerate(numbers))
    addresses: list[str] = []
    for address in emails:
        address = address.strip()
        if address and address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    ContactEmail.objects.bulk_create(
        ContactEmail(contact=contact, address=a, position=i) for i, a in enumerate(addresses)
    )
    return contact


def contact_find_by_phone(raw: str) -> Contact | None:
    try:
        number = normalize_phone(raw)
    except InvalidPhone:
        return None
    phone = ContactPhone.objects.filter(number=number).select_related("contact").order_by("contact_id").first()
    return phone.contact if phone else None


def contact_find_by_email(address: str) -> Contact | None:
    found = (
        ContactEmail.objects.filter(address__iexact=address.strip()).select_related("contact").order_by("contact_id")
    ).first()
    return found.contact if found else None


FILLABLE_FIELDS = ("company", "source", "campaign", "utm", "ga_client_id", "ym_client_id")


@transaction.atomic
def contact_fill_blanks(
    contact: Contact, *, phones: Iterable[str] = (), emails: Iterable[str] = (), **fields: Any
) -> Contact:
    """A returning client keeps what we know (their first touch); only empty fields are filled,
    and phones or e-mails we did not have are added after the known ones."""
    unknown = set(fields) - set(FILLABLE_FIELDS)
    if unknown:
        raise ServiceError(sorted(unknown)[0], "cannot be filled in")
    blanks = {name: value for name, value in fields.items() if value and not getattr(contact, name)}
    if blanks:
        Contact.objects.filter(pk=contact.pk).update(**blanks)
        for name, value in blanks.items():
            setattr(contact, name, value)
        if {"source", "campaign"} & set(blanks):
            analytics_state.contact_changed(contact.pk)
    known_numbers = set(contact.phones.values_list("number", flat=True))
    position = len(known_numbers)
    for number in _normalized_phones(phones):
        if number not in known_numbers:
            ContactPhone.objects.create(contact=contact, number=number, position=position)
            known_numbers.add(number)
            position += 1
    known_addresses = {a.lower() for a in contact.emails.values_list("address", flat=True)}
    position = len(known_addresses)
    for address in (a.strip() for a in emails):
        if address and address.lower() not in known_addresses:
            ContactEmail.objects.create(contact=contact, address=address, position=position)
            known_addresses.add(address.lower())
            position += 1
    return contact
