from __future__ import annotations

from django.db import transaction

from salescope.core.refs import new_ref

from .models import Role, Team, User


def team_create(*, name: str, ref: str | None = None) -> Team:
    return Team.objects.create(ref=ref or new_ref("team"), name=name)


@transaction.atomic
def user_create(
    *,
    username: str,
    name: str,
    role: str = Role.MANAGER,
    team: Team | None = None,
    email: str = "",
    phone_ext: str = "",
    password: str | None = None,
    active: bool = True,
    ref: str | None = None,
) -> User:
    user = User(
        username=username,
        ref=ref or username,
        name=name,
        role=role,
        team=team,
        email=email,
        phone_ext=phone_ext,
        is_active=active,
        is_staff=role in (Role.HEAD, Role.ADMIN),
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_by_extension(ext: str) -> User | None:
    return User.objects.filter(phone_ext=ext, is_active=True).order_by("id").first()


def user_set_password(*, user: User, password: str) -> User:
    """Give `user` a login password (hashed with the configured hasher)."""
    if not password:
        raise ValueError(f"an empty password for user {user.username!r}")
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
