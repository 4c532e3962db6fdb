"""Reading a bundle (a folder or a .zip of it) into raw JSON objects with their line numbers."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BundleError
from .schema import FILE_NAMES, MANIFEST

RawRecord = tuple[int, dict[str, Any]]


@dataclass
class RawBundle:
    manifest: dict[str, Any] | None
    files: dict[str, list[RawRecord]]
    errors: list[BundleError] = field(default_factory=list)
    warnings: list[BundleError] = field(default_factory=list)


class _Source:
    """A folder or a zip archive, seen as a set of named files at the bundle's root."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.prefix = ""
        if path.is_file():
            self.zip = zipfile.ZipFile(path)
            names = [n for n in self.zip.namelist() if not n.endswith("/")]
            if MANIFEST not in names:
                # A zip of the folder itself: every file sits under one top-level folder.
                tops = {n.split("/", 1)[0] for n in names if "/" in n}
                if len(tops) == 1 and f"{next(iter(tops))}/{MANIFEST}" in names:
                    self.prefix = next(iter(tops)) + "/"

    def names(self) -> list[str]:
        if self.zip is None:
            return sorted(p.name for p in self.path.iterdir() if p.is_file())
        plen = len(self.prefix)
        return sorted(
            n[plen:] for n in self.zip.namelist() if n.startswith(self.prefix) and "/" not in n[plen:] and n[plen:]
        )

    def read_lines(self, name: str) -> Iterator[bytes]:
        if self.zip is None:
            with open(self.path / name, "rb") as handle:
                yield from handle
        else:
            with self.zip.open(self.prefix + name) as handle:
                yield from handle

    def read_bytes(self, name: str) -> bytes:
        if self.zip is None:
            return (self.path / name).read_bytes()
        return self.zip.read(self.prefix + name)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def read_bundle(path: str | Path) -> RawBundle:
    """Read every file of the bundle; malformed lines become errors, unknown files warnings."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no bundle at {path}")
    if path.is_file() and not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is neither a folder nor a .zip archive")
    source = _Source(path)
    try:
        bundle = RawBundle(manifest=None, files={})
        present = source.names()
        for name in present:
            if name != MANIFEST and name not in FILE_NAMES:
                bundle.warnings.append(BundleError(name, 1, "file", "unknown file, ignored"))
        if MANIFEST in present:
            bundle.manifest = _read_manifest(source.read_bytes(MANIFEST), bundle.errors)
        else:
            bundle.errors.append(BundleError(MANIFEST, 1, "file", "manifest.json is missing"))
        for name in FILE_NAMES:
            bundle.files[name] = _read_jsonl(source, name, bundle.errors) if name in present else []
        return bundle
    finally:
        source.close()


def _read_manifest(data: bytes, errors: list[BundleError]) -> dict[str, Any] | None:
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        errors.append(BundleError(MANIFEST, 1, "encoding", f"not UTF-8: {exc.reason}"))
        return None
    except json.JSONDecodeError as exc:
        errors.append(BundleError(MANIFEST, exc.lineno, "json", f"malformed JSON: {exc.msg} (column {exc.colno})"))
        return None
    if not isinstance(value, dict):
        errors.append(BundleError(MANIFEST, 1, "json", "expected a JSON object"))
        return None
    return value


def _read_jsonl(source: _Source, name: str, errors: list[BundleError]) -> list[RawRecord]:
    records: list[RawRecord] = []
    for number, raw in enumerate(source.read_lines(name), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(BundleError(name, number, "encoding", f"not UTF-8: {exc.reason}"))
            continue
        text = text.rstrip("\r\n")
        if number == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            errors.append(BundleError(name, number, "json", f"malformed JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(value, dict):
            errors.append(BundleError(name, number, "json", "expected a JSON object"))
            continue
        records.append((number, value))
    return records
