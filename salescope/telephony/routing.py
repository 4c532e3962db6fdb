"""Per-integration settings that decide who gets an unknown caller and a missed-call callback."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from salescope.accounts.models import Team, User
from salescope.deals.models import Pipeline

from .lookups import pipeline_by_ref, team_by_ref, user_by_username

LEAD_OWNER_MODES = ("extension", "round_robin")


@dataclass(frozen=True)
class Routing:
    """`lead_owner`: "extension" = the manager who took the call (round-robin in `lead_team` when none did);
    "round_robin" = always round-robin within `lead_team` (or among all managers)."""

    create_leads: bool = True
    lead_pipeline: str | None = None
    lead_owner: str = "extension"
    lead_team: str | None = None
    lines: Mapping[str, str] = field(default_factory=dict)  # our number (E.164) -> username of its manager

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Routing:
        owner = str(config.get("lead_owner") or "extension")
        if owner not in LEAD_OWNER_MODES:
            raise ValueError(f"lead_owner must be one of {', '.join(LEAD_OWNER_MODES)}, not {owner!r}")
        lines = config.get("lines") or {}
        if not isinstance(lines, Mapping):
            raise ValueError("lines must map our numbers to usernames")
        return cls(
            create_leads=bool(config.get("create_leads", True)),
            lead_pipeline=config.get("lead_pipeline") or None,
            lead_owner=owner,
            lead_team=config.get("lead_team") or None,
            lines={str(k): str(v) for k, v in lines.items()},
        )

    def team(self) -> Team | None:
        return team_by_ref(self.lead_team) if self.lead_team else None

    def pipeline(self) -> Pipeline | None:
        """The pipeline of new lead deals: `lead_pipeline`, else the first one."""
        return pipeline_by_ref(self.lead_pipeline or "")

    def line_manager(self, our_number: str) -> User | None:
        username = self.lines.get(our_number) if our_number else None
        if not username:
            return None
        return user_by_username(username)
