import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salescope.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_variable_the_code_reads():
    read = set()
    for path in (ROOT / "salescope").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"""(?:os\.environ\.get|_env_bool)\(\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    read -= {"DJANGO_SETTINGS_MODULE", "CI"}
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variables found: the scan is broken"
    assert read - listed == set()


@pytest.mark.django_db
def test_createuser_makes_a_user_who_can_log_in(client):
    call_command("createuser", "anna", "--name", "Анна", "--role", "head", "--password", "secret123")
    user = User.objects.get(username="anna")
    assert (user.name, user.role, user.ref) == ("Анна", "head", "anna")
    assert client.login(username="anna", password="secret123")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "anna", "--password", "secret123")
    with pytest.raises(CommandError, match="no team"):
        call_command("createuser", "boris", "--team", "nope", "--password", "secret123")


@pytest.mark.django_db
def test_system_checks_of_the_database_are_silent() -> None:
    from django.core import checks

    found = checks.run_checks(databases=["default"], include_deployment_checks=False)
    assert [f"{m.id}: {m.msg}" for m in found if m.level >= checks.WARNING and not m.is_silenced()] == []
