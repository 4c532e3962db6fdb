"""Turning raw bundle lines into clean records (field rules only, no database)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from salescope.activities.services import activity_field_errors
from salescope.quality.services import qa_score_errors

from .errors import BundleError
from .fields import Where, as_instant_key
from .reader import RawBundle
from .schema import FORMAT, KINDS, MANIFEST, NATURAL_KEYS, SCHEMA, VERSION, file_name

MAX_SCORE_LIMIT = 32767
Record = tuple[int, dict[str, Any]]  # (line, clean fields); an absent optional field holds its default


@dataclass
class ParsedBundle:
    manifest: dict[str, Any]
    records: dict[str, list[Record]]
    errors: list[BundleError] = field(default_factory=list)
    warnings: list[BundleError] = field(default_factory=list)


def parse_bundle(raw: RawBundle) -> ParsedBundle:
    """Check the manifest and every record's own fields; collect every problem. Consumes `raw.files`."""
    parsed = ParsedBundle(manifest=raw.manifest or {}, records={}, errors=list(raw.errors), warnings=list(raw.warnings))
    if raw.manifest is not None:
        _check_manifest(raw.manifest, parsed)
    for kind in KINDS:
        name = file_name(kind)
        records: list[Record] = []
        for line, obj in raw.files.pop(name, []):  # consumed file by file, to keep the peak memory low
            where = Where(name, line, parsed.errors, parsed.warnings)
            records.append((line, _parse_record(kind, obj, where)))
        parsed.records[kind] = records
    _check_duplicates(parsed)
    return parsed


def _check_manifest(manifest: dict[str, Any], parsed: ParsedBundle) -> None:
    where = Where(MANIFEST, 1, parsed.errors, parsed.warnings)
    for key in manifest.keys() - {"format", "version", "timezone", "currency"}:
        where.warn(key, "unknown field, ignored")
    if manifest.get("format") != FORMAT:
        where.error("format", f"must be {FORMAT!r}, not {manifest.get('format')!r}")
    version = manifest.get("version")
    if version != VERSION or isinstance(version, bool):
        where.error("version", f"must be {VERSION}, not {version!r}")
    timezone = manifest.get("timezone")
    if timezone is None:
        where.error("timezone", "required")
    elif timezone != settings.TIME_ZONE:
        where.error(
            "timezone",
            f"the bundle's time zone {timezone!r} differs from this instance's {settings.TIME_ZONE!r} "
            "(SALESCOPE_TIME_ZONE)",
        )
    currency = manifest.get("currency")
    if not isinstance(currency, str) or not currency.strip():
        where.error("currency", "required: a currency code such as 'RUB'")
    elif currency != settings.SALESCOPE_CURRENCY:
        where.warn("currency", f"{currency!r} differs from this instance's {settings.SALESCOPE_CURRENCY!r}")


def _parse_record(kind: str, obj: dict[str, Any], where: Where) -> dict[str, Any]:
    fields = SCHEMA[kind]
    known = {f.name for f in fields}
    for key in obj:
        if key not in known:
            where.warn(key, "unknown field, ignored")
    record: dict[str, Any] = {}
    bad: set[str] = set()
    for spec in fields:
        value = obj.get(spec.name)
        if value is None:
            if spec.required:
                where.error(spec.name, "required")
                bad.add(spec.name)
            record[spec.name] = copy.copy(spec.default)
            continue
        count = len(where.errors)
        record[spec.name] = spec.parse(value, where, spec.name)
        if isinstance(record[spec.name], str) and spec.max_length and len(record[spec.name]) > spec.max_length:
            where.error(spec.name, f"longer than {spec.max_length} characters")
        if len(where.errors) > count or record[spec.name] is None:
            bad.add(spec.name)
    if kind in RECORD_RULES:
        RECORD_RULES[kind](record, bad, where)
    return record


def _activity_rules(record: dict[str, Any], bad: set[str], where: Where) -> None:
    if bad & {"kind", "direction", "status", "duration_s", "wait_s"}:
        return
    problems = activity_field_errors(
        kind=record["kind"],
        direction=record["direction"],
        status=record["status"],
        duration_s=record["duration_s"],
        wait_s=record["wait_s"],
    )
    for name, message in problems:
        where.error(name, message)


def _deal_rules(record: dict[str, Any], bad: set[str], where: Where) -> None:
    if record["items"] and not bad & {"items", "amount"}:
        total = sum((i.price * i.quantity for i in record["items"]), Decimal("0.00"))
        if total != record["amount"]:
            where.error("amount", f"{record['amount']} differs from the items' total {total:.2f}")


def _plan_rules(record: dict[str, Any], bad: set[str], where: Where) -> None:
    if (record["user"] is None) == (record["team"] is None) and not bad & {"user", "team"}:
        where.error("user", "a plan needs exactly one of user or team")


def _qa_rules(record: dict[str, Any], bad: set[str], where: Where) -> None:
    if not bad & {"scores", "max"}:
        for name, message in qa_score_errors(record["scores"], record["max"]):
            where.error(name, message)
        if isinstance(record["max"], int) and record["max"] > MAX_SCORE_LIMIT:
            where.error("max", f"must be at most {MAX_SCORE_LIMIT}")


RECORD_RULES = {
    "activities": _activity_rules,
    "deals": _deal_rules,
    "plans": _plan_rules,
    "qa_reviews": _qa_rules,
}


def natural_key(kind: str, record: dict[str, Any]) -> tuple[Any, ...] | None:
    values = []
    for name in NATURAL_KEYS[kind]:
        value = record[name]
        if value is None and name not in ("user", "team"):
            return None
        values.append(as_instant_key(value) if name == "at" else value)
    return tuple(values)


def _key_label(kind: str) -> str:
    names = NATURAL_KEYS[kind]
    if kind == "plans":
        names = ("month", "metric", "user or team")
    return f"({', '.join(names)})"


def _check_duplicates(parsed: ParsedBundle) -> None:
    """Duplicates are reported on the line of their second occurrence."""
    for kind, records in parsed.records.items():
        name = file_name(kind)
        if "id" in {f.name for f in SCHEMA[kind]}:
            seen: dict[Any, int] = {}
            for line, record in records:
                ref = record["id"]
                if ref is not None and ref in seen:
                    parsed.errors.append(
                        BundleError(name, line, "id", f"duplicate id {ref!r} (first on line {seen[ref]})")
                    )
                elif ref is not None:
                    seen[ref] = line
        if kind in NATURAL_KEYS:
            keys: dict[Any, int] = {}
            for line, record in records:
                key = natural_key(kind, record)
                if key is not None and key in keys:
                    parsed.errors.append(BundleError(name, line, _key_label(kind), f"duplicate of line {keys[key]}"))
                elif key is not None:
                    keys[key] = line
    external: dict[tuple[str, str], int] = {}
    for line, record in parsed.records["activities"]:
        if record["external_id"] and record["origin"] is not None:
            pair = (record["origin"], record["external_id"])
            if pair in external:
                message = f"origin {pair[0]!r} and external_id {pair[1]!r} repeat line {external[pair]}"
                parsed.errors.append(BundleError("activities.jsonl", line, "external_id", message))
            else:
                external[pair] = line
    stage_ids: dict[str, int] = {}
    for line, record in parsed.records["pipelines"]:
        for index, stage in enumerate(record["stages"] or ()):
            if stage.id in stage_ids:
                message = f"duplicate stage id {stage.id!r} (first in pipelines.jsonl line {stage_ids[stage.id]})"
                parsed.errors.append(BundleError("pipelines.jsonl", line, f"stages[{index}].id", message))
            else:
                stage_ids[stage.id] = line
