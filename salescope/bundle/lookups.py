"""Reads of stored records that a bundle may point to, in chunks, without per-row queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from salescope.accounts.models import Team, User
from salescope.activities.models import Activity
from salescope.billing.models import Invoice
from salescope.contacts.models import Contact
from salescope.deals.models import Deal, Pipeline, Product, Stage

CHUNK = 2000

MODELS: dict[str, type[Model]] = {
    "teams": Team,
    "users": User,
    "pipelines": Pipeline,
    "stages": Stage,
    "products": Product,
    "contacts": Contact,
    "deals": Deal,
    "activities": Activity,
    "invoices": Invoice,
}


@dataclass(frozen=True)
class Stored:
    """A stored record a bundle refers to: its primary key and what the rules need to know of it."""

    pk: int
    pipeline: str = ""  # stages and deals: the pipeline's ref
    created_at: dt.datetime | None = None  # deals
    kind: str = ""  # activities


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def stored_records(target: str, refs: Iterable[str]) -> dict[str, Stored]:
    """The stored records of kind `target` among `refs`, by ref."""
    found: dict[str, Stored] = {}
    wanted = sorted(set(refs))
    for batch in chunks(wanted):
        if target == "stages":
            for ref, pk, pipeline in Stage.objects.filter(ref__in=batch).values_list("ref", "pk", "pipeline__ref"):
                found[ref] = Stored(pk=pk, pipeline=pipeline)
        elif target == "deals":
            rows = Deal.objects.filter(ref__in=batch).values_list("ref", "pk", "pipeline__ref", "created_at")
            for ref, pk, pipeline, created_at in rows:
                found[ref] = Stored(pk=pk, pipeline=pipeline, created_at=created_at)
        elif target == "activities":
            for ref, pk, kind in Activity.objects.filter(ref__in=batch).values_list("ref", "pk", "kind"):
                found[ref] = Stored(pk=pk, kind=kind)
        else:
            model = MODELS[target]
            for ref, pk in model._default_manager.filter(ref__in=batch).values_list("ref", "pk"):
                found[ref] = Stored(pk=pk)
    return found


def stored_external_ids(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(origin, external_id) → ref of the stored activity holding it."""
    by_origin: dict[str, list[str]] = {}
    for origin, external_id in pairs:
        by_origin.setdefault(origin, []).append(external_id)
    found: dict[tuple[str, str], str] = {}
    for origin, ids in by_origin.items():
        for batch in chunks(sorted(set(ids))):
            rows = Activity.objects.filter(origin=origin, external_id__in=batch).values_list("external_id", "ref")
            for external_id, ref in rows:
                found[(origin, external_id)] = ref
    return found


def taken_usernames(usernames: Iterable[str]) -> dict[str, str]:
    """username → ref of the stored user that has it."""
    found: dict[str, str] = {}
    for batch in chunks(sorted(set(usernames))):
        found.update(User.objects.filter(username__in=batch).values_list("username", "ref"))
    return found
