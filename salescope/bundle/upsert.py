"""Bulk create-or-update of stored records matched by a key, counting what changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from .fastinsert import insert_rows
from .lookups import chunks

BATCH = 1000


@dataclass
class FileCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class Row:
    """One bundle record as model field values (`values`), with its match key."""

    key: Any
    values: dict[str, Any]
    extra_on_create: dict[str, Any] | None = None


def fetch_by_ref(model: type[Model], refs: Iterable[str], fields: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for batch in chunks(refs):
        for row in model._default_manager.filter(ref__in=batch).values("pk", "ref", *fields):
            found[row["ref"]] = row
    return found


def save_rows(
    model: type[Model],
    rows: list[Row],
    existing: dict[Any, dict[str, Any]],
    fields: list[str],
    counts: FileCounts,
    *,
    force_update: set[Any] | None = None,
    key_field: str | None = "ref",
) -> dict[Any, int]:
    """Create the rows not in `existing`, update those that differ; return key → pk for every row."""
    pks: dict[Any, int] = {}
    to_create: list[dict[str, Any]] = []
    to_update: list[Model] = []
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            values = dict(row.values, **(row.extra_on_create or {}))
            if key_field:
                values[key_field] = row.key
            to_create.append(values)
            continue
        pks[row.key] = current["pk"]
        changed = any(current[name] != row.values[name] for name in fields)
        if changed or (force_update and row.key in force_update):
            counts.updated += 1
            if changed:
                to_update.append(model(pk=current["pk"], **row.values))
        else:
            counts.unchanged += 1
    counts.created += insert_rows(model, to_create)
    if key_field and to_create:
        for batch in chunks([values[key_field] for values in to_create]):
            pks.update(model._default_manager.filter(**{f"{key_field}__in": batch}).values_list(key_field, "pk"))
    for batch in chunks(to_update, BATCH):
        model._default_manager.bulk_update(batch, fields, batch_size=250)
    return pks
