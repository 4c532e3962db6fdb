"""The demo department as bundle records (see /docs and bundle.md): deterministic for a seed, today and now.

`build_demo_bundle` returns {"manifest": {...}, "teams": [...], "users": [...], ...}: one key per bundle file
(the file name without `.jsonl`), ready for `salescope.bundle.writer.write_bundle`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .catalog import (
    ADD_ONS,
    ADMIN,
    EMAIL_DOMAIN,
    HEAD,
    MAIN_PRODUCTS,
    MAIN_WEIGHTS,
    MANAGERS,
    PIPELINE_ID,
    PIPELINE_NAME,
    PRODUCTS,
    SOURCES,
    STAGES,
    TEAMS,
    ManagerProfile,
    SourceProfile,
)
from .clock import UTC, WorkClock
from .people import PeopleFactory
from .plans import ad_spend_records, plan_records
from .recorder import Record, Recorder, money
from .story import DealStory, Lead

HISTORY_DAYS = 91  # about three months
PRICES = {p.ref: p.price for p in PRODUCTS}
NAMES = {p.ref: p.name for p in PRODUCTS}
REPEAT_CHANCE = 0.15


def build_demo_bundle(
    *, today: dt.date, seed: int = 7, contacts: int = 3000, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Bundle records of a made-up department: three months of history ending at `today` (and not after `now`)."""
    if contacts < 1:
        raise ValueError(f"contacts must be at least 1, got {contacts}")
    tz = ZoneInfo(settings.TIME_ZONE)
    rng = random.Random(seed)
    clock = WorkClock(tz, rng)
    start_day = today - dt.timedelta(days=HISTORY_DAYS)
    history_start = clock.at(start_day, 0)
    end_of_today = clock.at(today + dt.timedelta(days=1), 0) - dt.timedelta(seconds=1)
    cutoff = min(now if now is not None else timezone.now(), end_of_today).astimezone(UTC).replace(microsecond=0)
    if cutoff <= history_start + dt.timedelta(days=1):
        raise ValueError(f"now ({cutoff.isoformat()}) is before the demo's history starts ({start_day})")
    rec = Recorder(clock, cutoff)
    _Department(rng, clock, rec, history_start, cutoff).populate(contacts)
    bundle: dict[str, Any] = {
        "manifest": {"format": "salescope-bundle", "version": 1, "timezone": settings.TIME_ZONE, "currency": "RUB"},
        "teams": [{"id": ref, "name": name} for ref, name in TEAMS],
        "users": _users(),
        "pipelines": [
            {
                "id": PIPELINE_ID,
                "name": PIPELINE_NAME,
                "stages": [{"id": ref, "name": name, "kind": kind} for ref, name, kind in STAGES],
            }
        ],
        "products": [{"id": p.ref, "name": p.name, "price": money(p.price)} for p in PRODUCTS],
        "contacts": rec.contacts,
        "deals": rec.deals,
        "stage_changes": rec.stage_changes,
        "activities": rec.activities(),
        "tasks": rec.tasks(),
        "invoices": rec.invoices,
        "payments": rec.payments,
    }
    bundle["plans"] = plan_records(bundle, clock, start_day, clock.local_date(cutoff))
    bundle["ad_spend"] = ad_spend_records(rng, start_day, clock.local_date(cutoff), scale=contacts / 3000)
    return bundle


def _users() -> list[Record]:
    users: list[Record] = [
        {"id": m.ref, "name": m.name, "role": "manager", "team": m.team, "email": f"{m.ref}@{EMAIL_DOMAIN}",
         "phone_ext": m.phone_ext}
        for m in MANAGERS
    ]  # fmt: skip
    users.append({"id": HEAD[0], "name": HEAD[1], "role": "head", "email": f"{HEAD[0]}@{EMAIL_DOMAIN}"})
    users.append({"id": ADMIN[0], "name": ADMIN[1], "role": "admin", "email": f"{ADMIN[0]}@{EMAIL_DOMAIN}"})
    return users


class _Department:
    """Creates contacts in order of arrival and plays each one's deals."""

    def __init__(
        self, rng: random.Random, clock: WorkClock, rec: Recorder, start: dt.datetime, cutoff: dt.datetime
    ) -> None:
        self.rng, self.clock, self.rec = rng, clock, rec
        self.start, self.cutoff = start, cutoff
        self.people = PeopleFactory(rng)

    def populate(self, count: int) -> None:
        arrivals = sorted(self._arrival() for _ in range(count))
        for number, arrived in enumerate(arrivals, start=1):
            source = self.rng.choices(SOURCES, weights=[s.weight for s in SOURCES])[0]
            manager = MANAGERS[self.rng.randrange(len(MANAGERS))]
            campaign = self.rng.choice(source.campaigns) if source.campaigns else ""
            contact: Record = {"id": f"c{number:05d}", "created_at": self.clock.iso(arrived), "owner": manager.ref}
            contact.update(self.people.contact_fields(source, campaign, arrived))
            self.rec.contacts.append(contact)
            if self.rng.random() < 0.07:
                continue  # a contact without a deal (an old acquaintance, a supplier)
            channel = "cold" if source.name == "cold" else self.rng.choice(source.lead_channels)
            self._play(contact, manager, source, channel, arrived, repeat=False)

    def _arrival(self) -> dt.datetime:
        """A moment in the history, mostly on weekdays in working hours."""
        span = int((self.cutoff - self.start).total_seconds())
        while True:
            t = self.start + dt.timedelta(seconds=self.rng.randrange(span))
            local = t.astimezone(self.clock.tz)
            weekend = local.weekday() >= 5
            daytime = 9 <= local.hour < 19
            keep = (0.35 if weekend else 1.0) * (1.0 if daytime else 0.12)
            if self.rng.random() < keep:
                return t

    def _play(
        self, contact: Record, manager: ManagerProfile, source: SourceProfile, channel: str, at: dt.datetime,
        *, repeat: bool,
    ) -> None:  # fmt: skip
        deal = self._deal(contact, manager, source, at, repeat)
        won_at = DealStory(self.rec, self.clock, self.rng, Lead(deal, manager, source, channel, at, repeat)).play()
        if won_at is None or source.win_factor == 0 or self.rng.random() >= REPEAT_CHANCE:
            return
        again = self.clock.days_later(won_at, 15, 45)
        if self.rec.exists(again):
            self._play(contact, manager, source, "call", again, repeat=True)

    def _deal(
        self, contact: Record, manager: ManagerProfile, source: SourceProfile, at: dt.datetime, repeat: bool
    ) -> Record:
        items = self._items(manager, source, repeat)
        amount = sum((Decimal(i["price"]) * i["quantity"] for i in items), Decimal(0))
        main = items[0]
        title = NAMES[main["product"]] + (f" × {main['quantity']}" if main["quantity"] > 1 else "")
        deal: Record = {
            "id": f"d{len(self.rec.deals) + 1:05d}",
            "contact": contact["id"],
            "owner": manager.ref,
            "pipeline": PIPELINE_ID,
            "created_at": self.clock.iso(at),
            "amount": money(amount),
            "title": title,
            "items": items,
        }
        self.rec.deals.append(deal)
        return deal

    def _items(self, manager: ManagerProfile, source: SourceProfile, repeat: bool) -> list[dict[str, Any]]:
        rng = self.rng
        if repeat:
            main = rng.choice(["service", "split-std", "split-pro"])
        elif source.name == "avito":
            main = rng.choice(["split-std", "split-std", "split-pro"])
        else:
            main = rng.choices(MAIN_PRODUCTS, weights=MAIN_WEIGHTS)[0]
        quantity = rng.choices([1, 2, 3], weights=[60, 30, 10])[0] if main.startswith("split") else 1
        items = [self._item(main, quantity)]
        if not repeat and rng.random() < manager.upsell_share:
            for add_on in rng.sample(ADD_ONS[main], k=rng.choice([1, 1, 2])):
                items.append(self._item(add_on, quantity if add_on == "install" else 1))
        return items

    def _item(self, product: str, quantity: int) -> dict[str, Any]:
        discount = Decimal(self.rng.choice(["0", "0", "0", "0.03", "0.05", "0.1"]))
        price = (PRICES[product] * (1 - discount) / 100).quantize(Decimal(1)) * 100
        return {"product": product, "quantity": quantity, "price": money(price)}
