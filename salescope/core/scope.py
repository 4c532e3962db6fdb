"""Who sees what: one scoping function that every read goes through.

- a manager sees records they are responsible for;
- a head of a team sees the records of their team's members (and their own);
- a head with no team heads the whole department and, like an admin (or a
  superuser), sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from salescope.accounts.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    user_id: int
    role: str
    team_id: int | None
    sees_all: bool

    def user_q(self, path: str) -> Q:
        """A filter on the foreign key `path` (to a user) that keeps what this scope may see."""
        if self.sees_all:
            return Q()
        if self.role == "head" and self.team_id is not None:
            team_path = "team_id" if path == "id" else f"{path}__team_id"
            return Q(**{path: self.user_id}) | Q(**{team_path: self.team_id})
        return Q(**{path: self.user_id})

    def team_q(self, path: str) -> Q:
        """A filter on the foreign key `path` (to a team): team-level records are seen by the team's members."""
        if self.sees_all:
            return Q()
        if self.team_id is None:
            return Q(pk__in=[])
        return Q(**{path: self.team_id})

    def allows_user(self, user: User) -> bool:
        if self.sees_all or user.pk == self.user_id:
            return True
        return self.role == "head" and self.team_id is not None and user.team_id == self.team_id


def scope_for(user: User) -> Scope:
    heads_department = user.role == "head" and user.team_id is None
    sees_all = bool(user.is_superuser or user.role == "admin" or heads_department)
    return Scope(user_id=user.pk, role=user.role, team_id=user.team_id, sees_all=sees_all)


def scoped(queryset: QuerySet[M], scope: Scope) -> QuerySet[M]:
    """Restrict any queryset of a scoped model to what `scope` may see.

    Each model is responsible through one path: contacts through their owner or
    the owners of their deals, deals through their owner, activities and tasks
    through their user, invoices through their deal's owner, and so on.
    """
    if scope.sees_all:
        return queryset
    label = queryset.model._meta.label_lower
    paths = SCOPE_PATHS.get(label, ())
    team_paths = TEAM_SCOPE_PATHS.get(label, ())
    if not paths and not team_paths:
        raise LookupError(f"no scoping rule for {label}")
    condition = Q()
    for path in paths:
        condition |= scope.user_q(path)
    for path in team_paths:
        condition |= scope.team_q(path)
    return queryset.filter(condition).distinct() if len(paths) > 1 else queryset.filter(condition)


SCOPE_PATHS: dict[str, tuple[str, ...]] = {
    "accounts.user": ("id",),
    "contacts.contact": ("owner", "deals__owner"),
    "deals.deal": ("owner",),
    "deals.stagechange": ("deal__owner",),
    "activities.activity": ("user",),
    "followups.task": ("user",),
    "billing.invoice": ("deal__owner",),
    "billing.payment": ("invoice__deal__owner",),
    "billing.plan": ("user",),
    "quality.qareview": ("activity__user",),
}

# Records that belong to a team rather than to a user: a team's plan, the team itself.
TEAM_SCOPE_PATHS: dict[str, tuple[str, ...]] = {
    "accounts.team": ("id",),
    "billing.plan": ("team",),
}
