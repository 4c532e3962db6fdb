"""A small department: two teams, their heads and managers, an admin, and records owned by each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from salescope.accounts.models import Team, User
from salescope.accounts.services import team_create, user_create
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal, Pipeline
from salescope.deals.services import deal_create, pipeline_create

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 6, 15, tzinfo=UTC)  # 09:15 in Moscow


@dataclass
class Department:
    team_a: Team
    team_b: Team
    admin: User
    head_a: User
    kolya: User  # manager, team A
    petya: User  # manager, team A
    head_b: User
    vasya: User  # manager, team B
    pipeline: Pipeline
    kolya_contact: Contact
    petya_contact: Contact
    vasya_contact: Contact
    kolya_deal: Deal
    petya_deal: Deal
    vasya_deal: Deal


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def dept(db: None) -> Department:
    team_a, team_b = team_create(name="Москва", ref="t-a"), team_create(name="Казань", ref="t-b")
    users = {
        "admin": user_create(username="admin", name="Админ", role="admin", password="secret123"),
        "head_a": user_create(username="head_a", name="Ольга", role="head", team=team_a, password="secret123"),
        "kolya": user_create(username="kolya", name="Коля", team=team_a, password="secret123"),
        "petya": user_create(username="petya", name="Петя", team=team_a, password="secret123"),
        "head_b": user_create(username="head_b", name="Ирина", role="head", team=team_b, password="secret123"),
        "vasya": user_create(username="vasya", name="Вася", team=team_b, password="secret123"),
    }
    pipeline = pipeline_create(
        name="Продажи",
        ref="main",
        stages=[
            ("new", "Новая", "open"),
            ("talk", "Переговоры", "open"),
            ("won", "Оплачено", "won"),
            ("lost", "Отказ", "lost"),
        ],
    )
    contacts = {
        "kolya": contact_create(
            name="Иван Петров",
            owner=users["kolya"],
            company="ООО Ромашка",
            phones=["8 (916) 123-45-67"],
            emails=["ivan@romashka.ru"],
            created_at=T0,
            ref="c-ivan",
        ),
        "petya": contact_create(
            name="Мария Сидорова",
            owner=users["petya"],
            company="Лютик",
            phones=["+7 903 555-00-11"],
            created_at=T0,
            ref="c-maria",
        ),
        "vasya": contact_create(
            name="Олег Казанцев",
            owner=users["vasya"],
            company="Татнефть-Сервис",
            phones=["+7 843 200-00-00"],
            created_at=T0,
            ref="c-oleg",
        ),
    }
    deals = {
        name: deal_create(
            contact=contacts[name],
            owner=users[name],
            pipeline=pipeline,
            amount=Decimal("150000.00"),
            created_at=T0 + dt.timedelta(hours=1),
            title=f"Сделка {name}",
            ref=f"d-{name}",
        )
        for name in ("kolya", "petya", "vasya")
    }
    return Department(
        team_a=team_a,
        team_b=team_b,
        pipeline=pipeline,
        **users,
        kolya_contact=contacts["kolya"],
        petya_contact=contacts["petya"],
        vasya_contact=contacts["vasya"],
        kolya_deal=deals["kolya"],
        petya_deal=deals["petya"],
        vasya_deal=deals["vasya"],
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
