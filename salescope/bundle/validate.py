"""Validation of a whole bundle: field rules, then references and rules across files and the database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from . import lookups
from .errors import BundleError, BundleInvalid
from .fields import as_instant_key
from .lookups import Stored
from .parse import Record, parse_bundle
from .reader import RawBundle
from .schema import KINDS, SCHEMA, file_name

SINGULAR = {
    "teams": "team",
    "users": "user",
    "pipelines": "pipeline",
    "stages": "stage",
    "products": "product",
    "contacts": "contact",
    "deals": "deal",
    "activities": "activity",
    "invoices": "invoice",
}


@dataclass
class ValidBundle:
    records: dict[str, list[Record]]
    stored: dict[str, dict[str, Stored]]  # target → ref → stored record the bundle points to
    warnings: list[BundleError]


def validate_bundle(raw: RawBundle) -> ValidBundle:
    """Every rule of bundle.md; raises BundleInvalid listing every error (in file order, then line)."""
    parsed = parse_bundle(raw)
    checker = _CrossChecker(parsed.records, parsed.errors)
    checker.run()
    if parsed.errors:
        order = {file_name(k): i for i, k in enumerate(KINDS)}
        parsed.errors.sort(key=lambda e: (order.get(e.file, -1), e.line))
        raise BundleInvalid(parsed.errors)
    return ValidBundle(records=parsed.records, stored=checker.stored, warnings=parsed.warnings)


class _CrossChecker:
    def __init__(self, records: dict[str, list[Record]], errors: list[BundleError]) -> None:
        self.records = records
        self.errors = errors
        self.stored: dict[str, dict[str, Stored]] = {}
        self.ids: dict[str, dict[str, Any]] = {target: {} for target in SINGULAR}
        for kind in ("teams", "users", "pipelines", "products", "contacts", "deals", "activities", "invoices"):
            for _, record in records[kind]:
                if record["id"] is not None:
                    self.ids[kind].setdefault(record["id"], record)
        for _, record in records["pipelines"]:
            for stage in record["stages"] or ():
                self.ids["stages"].setdefault(stage.id, record["id"])

    def error(self, kind: str, line: int, field: str, message: str) -> None:
        self.errors.append(BundleError(file_name(kind), line, field, message))

    def run(self) -> None:
        self._load_stored()
        self._check_references()
        self._check_stage_changes()
        self._check_qa_reviews()
        self._check_activity_external_ids()
        self._check_new_usernames()
        self._check_stage_owners()

    def _references(self) -> list[tuple[str, int, str, str, str]]:
        """(kind, line, field, target, ref) for every reference in the bundle."""
        found = []
        for kind in KINDS:
            specs = [s for s in SCHEMA[kind] if s.target]
            for line, record in self.records[kind]:
                for spec in specs:
                    value = record[spec.name]
                    if value is not None:
                        found.append((kind, line, spec.name, str(spec.target), value))
                if kind == "deals":
                    for index, item in enumerate(record["items"] or ()):
                        found.append((kind, line, f"items[{index}].product", "products", item.product))
        return found

    def _load_stored(self) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for _, _, _, target, ref in self._references():
            if ref not in self.ids[target]:
                wanted[target].add(ref)
        wanted["stages"] |= set(self.ids["stages"])
        for target in SINGULAR:
            self.stored[target] = lookups.stored_records(target, wanted[target]) if wanted[target] else {}

    def _check_references(self) -> None:
        for kind, line, field, target, ref in self._references():
            if ref not in self.ids[target] and ref not in self.stored[target]:
                where = f"not in {file_name('pipelines') if target == 'stages' else file_name(target)} nor stored"
                self.error(kind, line, field, f"unknown {SINGULAR[target]} {ref!r} ({where})")

    def _pipeline_of_deal(self, ref: str) -> str | None:
        if ref in self.ids["deals"]:
            return self.ids["deals"][ref]["pipeline"]
        stored = self.stored["deals"].get(ref)
        return stored.pipeline if stored else None

    def _pipeline_of_stage(self, ref: str) -> str | None:
        if ref in self.ids["stages"]:
            return self.ids["stages"][ref]
        stored = self.stored["stages"].get(ref)
        return stored.pipeline if stored else None

    def _check_stage_changes(self) -> None:
        earliest: dict[str, dt.datetime] = {}
        for line, change in self.records["stage_changes"]:
            deal, stage, at = change["deal"], change["to_stage"], change["at"]
            if deal is None:
                continue
            if at is not None and (deal not in earliest or at < earliest[deal]):
                earliest[deal] = at
            deal_pipeline = self._pipeline_of_deal(deal)
            stage_pipeline = None if stage is None else self._pipeline_of_stage(stage)
            if deal_pipeline and stage_pipeline and deal_pipeline != stage_pipeline:
                message = f"stage {stage!r} is in pipeline {stage_pipeline!r}, not in the deal's {deal_pipeline!r}"
                self.error("stage_changes", line, "to_stage", message)
            stored = self.stored["deals"].get(deal)
            if deal not in self.ids["deals"] and stored and at is not None and stored.created_at:
                if at < stored.created_at:
                    self.error("stage_changes", line, "at", "is before the deal's created_at")
        for line, deal in self.records["deals"]:
            ref, created_at = deal["id"], deal["created_at"]
            if ref is None or self.ids["deals"].get(ref) is not deal:
                continue
            if ref not in earliest:
                self.error("deals", line, "id", f"deal {ref!r} has no stage change in stage_changes.jsonl")
            elif created_at is not None and as_instant_key(earliest[ref]) != as_instant_key(created_at):
                message = f"the deal's earliest stage change is at {earliest[ref].isoformat()}, not at created_at"
                self.error("deals", line, "created_at", message)

    def _check_qa_reviews(self) -> None:
        for line, review in self.records["qa_reviews"]:
            ref = review["activity"]
            if ref is None:
                continue
            if ref in self.ids["activities"]:
                kind = self.ids["activities"][ref]["kind"]
            elif ref in self.stored["activities"]:
                kind = self.stored["activities"][ref].kind
            else:
                continue
            if kind is not None and kind != "call":
                self.error(
                    "qa_reviews",
                    line,
                    "activity",
                    f"activity {ref!r} is not a call (kind {kind!r}); only calls are reviewed",
                )

    def _check_activity_external_ids(self) -> None:
        pairs = {
            (r["origin"], r["external_id"]): (line, r["id"])
            for line, r in self.records["activities"]
            if r["external_id"] and r["origin"] is not None
        }
        if not pairs:
            return
        for pair, holder in lookups.stored_external_ids(pairs).items():
            line, ref = pairs[pair]
            if holder != ref and holder not in self.ids["activities"]:
                message = f"origin {pair[0]!r} and external_id {pair[1]!r} belong to stored activity {holder!r}"
                self.error("activities", line, "external_id", message)

    def _check_new_usernames(self) -> None:
        new = {r["id"]: line for line, r in self.records["users"] if r["id"] is not None}
        if not new:
            return
        existing = lookups.stored_records("users", new)
        fresh = [ref for ref in new if ref not in existing]
        for username, holder in lookups.taken_usernames(fresh).items():
            self.error("users", new[username], "id", f"the username {username!r} is taken by stored user {holder!r}")

    def _check_stage_owners(self) -> None:
        for line, pipeline in self.records["pipelines"]:
            for index, stage in enumerate(pipeline["stages"] or ()):
                stored = self.stored["stages"].get(stage.id)
                if stored and stored.pipeline != pipeline["id"]:
                    message = f"stage {stage.id!r} belongs to stored pipeline {stored.pipeline!r}"
                    self.error("pipelines", line, f"stages[{index}].id", message)
