"""Writing bundle files: JSON Lines, UTF-8, one object per line. Used by the exporter and by tests."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from .schema import FORMAT, MANIFEST, VERSION


def default_manifest() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "timezone": settings.TIME_ZONE,
        "currency": settings.SALESCOPE_CURRENCY,
    }


def dump_line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def write_jsonl(handle: IO[str], records: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    for record in records:
        handle.write(dump_line(record))
        count += 1
    return count


def write_manifest(directory: Path, overrides: Mapping[str, Any] | None = None) -> None:
    manifest = dict(default_manifest(), **(overrides or {}))
    manifest = {k: v for k, v in manifest.items() if v is not None}
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_bundle(
    directory: str | Path,
    records: Mapping[str, Iterable[Mapping[str, Any]]],
    manifest: Mapping[str, Any] | None = None,
) -> Path:
    """Write a bundle: `records` maps a kind (`contacts`, or `contacts.jsonl`) to its records.

    `manifest` overrides fields of the default manifest (the instance's time zone and currency);
    an override of None drops the field.
    """
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    write_manifest(path, manifest)
    for kind, rows in records.items():
        name = kind if kind.endswith(".jsonl") else f"{kind}.jsonl"
        with open(path / name, "w", encoding="utf-8") as handle:
            write_jsonl(handle, rows)
    return path
