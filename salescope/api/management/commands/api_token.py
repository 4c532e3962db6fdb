"""`salescope api_token USER [--name NAME]`: create an API token for a user and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salescope.accounts.models import User
from salescope.api.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for the user with this id (ref) or login; the token is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="user id (ref) or username")
        parser.add_argument("--name", default="", help="a label for the token")

    def handle(self, *args: Any, **options: Any) -> None:
        who = options["user"]
        user = User.objects.filter(ref=who).first() or User.objects.filter(username=who).first()
        if user is None:
            raise CommandError(f"unknown user: {who!r}", returncode=2)
        _, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
