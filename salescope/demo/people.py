"""Made-up clients: Russian names, companies, +7 phones, e-mails and web-analytics ids."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .catalog import (
    COMPANY_FORMS,
    COMPANY_WORDS,
    EMAIL_DOMAINS,
    FEMALE_FIRST,
    LATIN,
    MALE_FIRST,
    SURNAMES,
    UTM_TERMS,
    SourceProfile,
)


def latin(text: str) -> str:
    return "".join(LATIN.get(ch, ch) for ch in text.lower())


class PeopleFactory:
    """Invents clients; phone numbers never repeat within one demo."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_phones: set[str] = set()

    def phone(self) -> str:
        while True:
            number = f"+79{self.rng.randint(0, 99):02d}{self.rng.randint(0, 9_999_999):07d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def contact_fields(self, source: SourceProfile, campaign: str, created_at: dt.datetime) -> dict[str, Any]:
        rng = self.rng
        female = rng.random() < 0.45
        first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
        surname = rng.choice(SURNAMES) + ("а" if female else "")
        fields: dict[str, Any] = {"name": f"{first} {surname}"}
        if rng.random() < 0.55:
            fields["company"] = self._company(surname, first)
        phones = [self.phone()]
        if rng.random() < 0.1:
            phones.append(self.phone())
        fields["phones"] = phones
        if rng.random() < 0.6:
            suffix = str(rng.randint(1, 99)) if rng.random() < 0.4 else ""
            fields["emails"] = [f"{latin(first)[0]}.{latin(surname)}{suffix}@{rng.choice(EMAIL_DOMAINS)}"]
        fields["source"] = source.name
        if campaign:
            fields["campaign"] = campaign
            utm = {"utm_source": source.utm_source, "utm_medium": source.utm_medium, "utm_campaign": campaign}
            if source.name in ("yandex_direct", "google_ads"):
                utm["utm_term"] = rng.choice(UTM_TERMS)
            fields["utm"] = utm
        stamp = int(created_at.timestamp())
        if source.name in ("yandex_direct", "google_ads", "seo", "vk_ads"):
            fields["ga_client_id"] = f"{rng.randint(100_000_000, 2_147_483_647)}.{stamp - rng.randint(0, 86_400 * 30)}"
        if source.name in ("yandex_direct", "seo"):
            fields["ym_client_id"] = f"{stamp}{rng.randint(100_000_000, 999_999_999)}"
        return fields

    def _company(self, surname: str, first: str) -> str:
        form = self.rng.choice(COMPANY_FORMS)
        if form == "ИП":
            return f"ИП {surname} {first[0]}."
        return f"{form} «{self.rng.choice(COMPANY_WORDS)}»"
