"""Who a new client from a channel goes to: the channel's integration settings name the owner, team and pipeline."""

from __future__ import annotations

from typing import Any, TypedDict

from salescope.accounts.models import Team, User


class Routing(TypedDict):
    owner: User | None
    team: Team | None
    pipeline_ref: str | None


def intake_routing(config: dict[str, Any]) -> Routing:
    """`owner_ref`, `team_ref`, `pipeline_ref` from an integration's settings (each optional)."""
    owner_ref = str(config.get("owner_ref") or "")
    team_ref = str(config.get("team_ref") or "")
    return {
        "owner": User.objects.filter(ref=owner_ref, is_active=True).first() if owner_ref else None,
        "team": Team.objects.filter(ref=team_ref).first() if team_ref else None,
        "pipeline_ref": str(config.get("pipeline_ref") or "") or None,
    }
