"""Builders for hand-made departments: every record goes through the write services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from salescope.accounts.models import Team, User
from salescope.accounts.services import team_create, user_create
from salescope.activities.models import Activity
from salescope.activities.services import activity_record
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal, Pipeline, Stage
from salescope.deals.services import deal_create, deal_move_stage, pipeline_create

MSK = ZoneInfo("Europe/Moscow")


def at(text: str) -> dt.datetime:
    """A Moscow wall-clock time 'YYYY-MM-DD HH:MM[:SS]' (or any ISO text with an offset)."""
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MSK)


class Dept:
    """A small department: two teams, three users and one pipeline new → talk → won / lost."""

    def __init__(self) -> None:
        self.t1: Team = team_create(name="One", ref="t1")
        self.t2: Team = team_create(name="Empty", ref="t2")
        self.u1: User = user_create(username="u1", name="Anna", team=self.t1)
        self.u2: User = user_create(username="u2", name="Boris", team=self.t1)
        self.u3: User = user_create(username="u3", name="Vera", role="head", active=False)
        self.pipe: Pipeline = pipeline_create(
            name="Sales",
            ref="p",
            stages=[("new", "New", "open"), ("talk", "Talk", "open"), ("won", "Won", "won"), ("lost", "Lost", "lost")],
        )
        self._contacts = 0

    def stage(self, ref: str) -> Stage:
        return Stage.objects.get(ref=ref)

    def contact(self, ref: str | None = None, **kwargs: Any) -> Contact:
        self._contacts += 1
        kwargs.setdefault("created_at", at("2026-01-01 00:00"))
        return contact_create(name=f"Client {self._contacts}", ref=ref or f"c{self._contacts}", **kwargs)

    def act(self, kind: str, when: str, user: User | None = None, **kwargs: Any) -> Activity:
        if kind == "call":
            kwargs.setdefault("status", "answered")
            if kwargs["status"] == "answered":
                kwargs.setdefault("duration_s", 60)
        return activity_record(kind=kind, started_at=at(when), user=user, **kwargs)

    def deal(self, ref: str, contact: Contact, owner: User, when: str, amount: str = "100.00", **kw: Any) -> Deal:
        return deal_create(
            ref=ref, contact=contact, owner=owner, pipeline=self.pipe, amount=Decimal(amount), created_at=at(when), **kw
        )

    def move(self, deal: Deal, stage: str, when: str, reason: str | None = None) -> None:
        deal_move_stage(deal=deal, stage=self.stage(stage), at=at(when), loss_reason=reason)


@pytest.fixture
def dept(db: Any) -> Dept:
    return Dept()
