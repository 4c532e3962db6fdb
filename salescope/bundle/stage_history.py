"""Stage changes: matched by (deal, at, to_stage); ties at one instant keep the bundle's file order."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from salescope.deals.models import StageChange

from .fastinsert import insert_rows
from .fields import as_instant_key
from .lookups import chunks
from .upsert import FileCounts

if TYPE_CHECKING:
    from .load import Loader

Key = tuple[int, dt.datetime, int]


def load_stage_changes(loader: Loader, counts: FileCounts) -> set[int]:
    """Write the bundle's stage changes; return the pks of the deals whose history changed."""
    wanted: list[tuple[Key, dict[str, Any]]] = []
    for r in loader.records("stage_changes"):
        deal, stage = loader.pks["deals"][r["deal"]], loader.pks["stages"][r["to_stage"]]
        values = {"deal_id": deal, "stage_id": stage, "at": r["at"], "by_id": loader.pk("users", r["by"])}
        wanted.append(((deal, as_instant_key(r["at"]), stage), values))
    new_deals = {loader.pks["deals"][ref] for ref in loader.new_refs["deals"]}
    stored = _stored_changes({key[0] for key, _ in wanted} - new_deals)
    rebuild = _groups_out_of_order(wanted, stored)
    touched: set[int] = set()
    to_create: list[dict[str, Any]] = []
    to_update: list[StageChange] = []
    to_delete: list[int] = []
    for key, values in wanted:
        current = stored.get(key)
        group = key[:2]
        if current is None:
            counts.created += 1
            touched.add(key[0])
            to_create.append(values)
        elif group in rebuild:
            counts.updated += 1
            touched.add(key[0])
            to_delete.append(current["id"])
            to_create.append(values)
        elif current["by_id"] != values["by_id"]:
            counts.updated += 1
            to_update.append(StageChange(id=current["id"], by_id=values["by_id"]))
        else:
            counts.unchanged += 1
    for batch in chunks(to_delete):
        StageChange.objects.filter(id__in=batch).delete()
    insert_rows(StageChange, to_create)
    StageChange.objects.bulk_update(to_update, ["by"], batch_size=250)
    return touched


def _stored_changes(deal_pks: set[int]) -> dict[Key, dict[str, Any]]:
    found: dict[Key, dict[str, Any]] = {}
    for batch in chunks(sorted(deal_pks)):
        for row in StageChange.objects.filter(deal_id__in=batch).values("id", "deal_id", "at", "stage_id", "by_id"):
            found[(row["deal_id"], as_instant_key(row["at"]), row["stage_id"])] = dict(row)
    return found


def _groups_out_of_order(
    wanted: list[tuple[Key, dict[str, Any]]], stored: dict[Key, dict[str, Any]]
) -> set[tuple[int, dt.datetime]]:
    """(deal, instant) groups whose stored ids would not follow the file order once new rows are appended."""
    groups: dict[tuple[int, dt.datetime], list[int | None]] = defaultdict(list)
    for key, _ in wanted:
        current = stored.get(key)
        groups[key[:2]].append(None if current is None else current["id"])
    broken = set()
    for group, ids in groups.items():
        if len(ids) < 2:
            continue
        known = [i for i in ids if i is not None]
        first_new = ids.index(None) if None in ids else len(ids)
        if known != sorted(known) or any(i is not None for i in ids[first_new:]):
            broken.add(group)
    return broken
