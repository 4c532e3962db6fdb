"""Loading the demo department: generate a bundle, import it through the bundle path, give logins passwords.

Demo passwords: the user name followed by 12345 — head / head12345 (head of sales), kolya / kolya12345
(manager Николай Петров), admin / admin12345, and likewise for every manager (anna / anna12345, …).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from salescope.accounts.models import User
from salescope.accounts.services import user_set_password
from salescope.bundle.importer import ImportResult, import_bundle
from salescope.bundle.writer import write_bundle
from salescope.contacts.models import Contact
from salescope.core.errors import ServiceError
from salescope.deals.models import Deal
from salescope.deals.services import loss_reasons_ensure

from .catalog import LOSS_REASONS
from .generator import build_demo_bundle

Progress = Callable[[str, int, int], None]
FIRST_LOGINS = ("head", "kolya", "admin")
PASSWORD_SUFFIX = "12345"  # every demo login's password is its user name followed by this


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    name: str
    role: str


@dataclass(frozen=True)
class DemoResult:
    logins: list[DemoLogin]
    imported: ImportResult


def demo_password(username: str) -> str:
    return f"{username}{PASSWORD_SUFFIX}"


def database_is_empty() -> bool:
    """True when no user, contact or deal exists yet (a fresh installation)."""
    return not (User.objects.exists() or Contact.objects.exists() or Deal.objects.exists())


def demo_load(
    *,
    today: dt.date | None = None,
    seed: int = 7,
    contacts: int = 3000,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> DemoResult:
    """Fill an empty database with the demo department and return the demo logins.

    Refuses (ServiceError) when the database already holds users, contacts or deals.
    """
    if not database_is_empty():
        raise ServiceError("database", "is not empty; the demo is only loaded into a fresh database")
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if progress:
        progress("generating", 0, 1)
    records = build_demo_bundle(today=today, seed=seed, contacts=contacts, now=now)
    manifest = records.pop("manifest")
    with tempfile.TemporaryDirectory(prefix="salescope-demo-") as folder:
        write_bundle(folder, records, manifest)
        with transaction.atomic():
            imported = import_bundle(folder, progress=progress)
            usernames = sorted((user["id"] for user in records["users"]), key=_login_order)
            logins = _set_passwords(usernames)
            loss_reasons_ensure(LOSS_REASONS)
    return DemoResult(logins=logins, imported=imported)


def _login_order(username: str) -> int:
    """The head, Коля and the admin first (the logins a visitor tries), then the other managers."""
    return FIRST_LOGINS.index(username) if username in FIRST_LOGINS else len(FIRST_LOGINS)


def _set_passwords(usernames: list[str]) -> list[DemoLogin]:
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    logins = []
    for username in usernames:
        user = user_set_password(user=users[username], password=demo_password(username))
        logins.append(DemoLogin(username=username, password=demo_password(username), name=user.name, role=user.role))
    return logins
