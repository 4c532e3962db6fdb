"""`salescope createuser USERNAME --name … --role … [--team REF] [--password …]`."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from salescope.accounts.models import Role, Team, User
from salescope.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user who can log in (manager, head or admin)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", help="full name (defaults to the username)")
        parser.add_argument("--role", choices=Role.values, default=Role.MANAGER)
        parser.add_argument("--team", help="team id (its external id)")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone-ext", default="")
        parser.add_argument("--password", help="asked for when omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        team = None
        if options["team"]:
            team = Team.objects.filter(ref=options["team"]).first()
            if team is None:
                raise CommandError(f"no team with id {options['team']!r}")
        password = options["password"]
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        if len(password) < 6:
            raise CommandError("the password needs at least 6 characters")
        user = user_create(
            username=username,
            name=options["name"] or username,
            role=options["role"],
            team=team,
            email=options["email"],
            phone_ext=options["phone_ext"],
            password=password,
        )
        self.stdout.write(f"created {user.role} {user.username}")
