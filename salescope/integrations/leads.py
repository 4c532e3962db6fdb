"""Turning an unknown client who reaches us (a call, a chat, a web form) into a contact and a lead deal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone

from salescope.accounts.models import Role, Team, User
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create, contact_find_by_email, contact_find_by_phone
from salescope.deals.models import Deal, Pipeline, StageKind
from salescope.deals.services import deal_create


class Routing(TypedDict):
    owner: User | None
    team: Team | None
    pipeline_ref: str | None


def intake_routing(config: dict[str, Any]) -> Routing:
    """Who a new client from a channel goes to: `owner_ref`, `team_ref`, `pipeline_ref` of its settings."""
    owner_ref = str(config.get("owner_ref") or "")
    team_ref = str(config.get("team_ref") or "")
    return {
        "owner": User.objects.filter(ref=owner_ref, is_active=True).first() if owner_ref else None,
        "team": Team.objects.filter(ref=team_ref).first() if team_ref else None,
        "pipeline_ref": str(config.get("pipeline_ref") or "") or None,
    }


@dataclass(frozen=True)
class Intake:
    contact: Contact
    deal: Deal | None
    contact_created: bool


def open_deal_of(contact: Contact) -> Deal | None:
    """The contact's most recent deal whose latest stage is open."""
    return Deal.objects.filter(contact=contact, stage__kind=StageKind.OPEN).order_by("-created_at", "-id").first()


def round_robin_owner(team: Team | None) -> User | None:
    """The next active manager of `team` (or of the department) after the owner of the latest lead."""
    managers = list(User.objects.filter(is_active=True, role=Role.MANAGER).order_by("id"))
    if team is not None:
        managers = [m for m in managers if m.team_id == team.pk]
    if not managers:
        return None
    last = Deal.objects.filter(owner__in=managers).order_by("-created_at", "-id").values_list("owner_id", flat=True)
    last_owner = last.first()
    ids = [m.pk for m in managers]
    if last_owner not in ids:
        return managers[0]
    return managers[(ids.index(last_owner) + 1) % len(managers)]


def lead_pipeline(pipeline_ref: str | None = None) -> Pipeline | None:
    if pipeline_ref:
        return Pipeline.objects.filter(ref=pipeline_ref).first()
    return Pipeline.objects.order_by("id").first()


@transaction.atomic
def lead_intake(
    *,
    name: str,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    owner: User | None = None,
    team: Team | None = None,
    at: dt.datetime | None = None,
    source: str = "",
    campaign: str = "",
    utm: dict[str, str] | None = None,
    ga_client_id: str = "",
    ym_client_id: str = "",
    pipeline_ref: str | None = None,
    pipeline: Pipeline | None = None,
    title: str = "",
    always_open_deal: bool = False,
    search: bool = True,
) -> Intake:
    """Find the client by phone or e-mail, or create them with a lead deal.

    A known client keeps their data; a new lead deal is opened for them only when
    `always_open_deal` is set (a web form) and they have no open deal. The lead deal goes into `pipeline`, else
    the one `pipeline_ref` names, else the first. `search=False`: the caller has just looked for the client
    (under a lock) and found nobody.
    """
    phones, emails = list(phones), list(emails)
    when = at or timezone.now()
    contact = None
    if search:
        contact = next((c for c in (contact_find_by_phone(p) for p in phones) if c), None)
    if search and contact is None:
        contact = next((c for c in (contact_find_by_email(e) for e in emails) if c), None)
    created = contact is None
    responsible = owner or round_robin_owner(team)
    if contact is None:
        contact = contact_create(
            name=name or (phones[0] if phones else emails[0] if emails else "?"),
            created_at=when,
            owner=responsible,
            phones=phones,
            emails=emails,
            source=source,
            campaign=campaign,
            utm=utm,
            ga_client_id=ga_client_id,
            ym_client_id=ym_client_id,
        )
    deal = None if created else open_deal_of(contact)
    if deal is None and (created or always_open_deal):
        pipeline = pipeline or lead_pipeline(pipeline_ref)
        deal_owner = responsible or contact.owner
        if pipeline is not None and deal_owner is not None:
            deal = deal_create(
                contact=contact,
                owner=deal_owner,
                pipeline=pipeline,
                amount=Decimal("0.00"),
                created_at=when,
                title=title,
            )
    return Intake(contact=contact, deal=deal, contact_created=created)
