"""Test helpers: run an import and get its error lines; take a snapshot of every table a bundle writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps

from salescope.bundle.errors import BundleInvalid
from salescope.bundle.importer import ImportResult, import_bundle

WRITTEN_MODELS = (
    "accounts.Team",
    "accounts.User",
    "deals.Pipeline",
    "deals.Stage",
    "deals.Product",
    "contacts.Contact",
    "contacts.ContactPhone",
    "contacts.ContactEmail",
    "deals.Deal",
    "deals.DealItem",
    "deals.StageChange",
    "activities.Activity",
    "followups.Task",
    "billing.Invoice",
    "billing.Payment",
    "billing.Plan",
    "marketing.AdSpend",
    "quality.QAReview",
)


def import_errors(path: Path) -> list[str]:
    """The error lines of an import that must fail."""
    try:
        import_bundle(path)
    except BundleInvalid as exc:
        return [str(e) for e in exc.errors]
    raise AssertionError("the bundle was accepted")


def counts(result: ImportResult) -> dict[str, tuple[int, int, int]]:
    """file → (created, updated, unchanged), for files with records."""
    return {
        name: (c.created, c.updated, c.unchanged)
        for name, c in result.counts.items()
        if c.created + c.updated + c.unchanged
    }


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table an import writes (the user's password excluded: it is random when unusable)."""
    state = {}
    for label in WRITTEN_MODELS:
        model = apps.get_model(label)
        rows = list(model._default_manager.order_by("pk").values())
        for row in rows:
            row.pop("password", None)
        state[label] = rows
    return state
