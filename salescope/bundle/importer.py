"""`import_bundle`: validate everything, then write everything in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from salescope.analytics.state import refresh_after_bulk_write, tidy_after_rebuild

from .errors import BundleError
from .load import Loader
from .reader import read_bundle
from .schema import KINDS, file_name
from .upsert import FileCounts
from .validate import validate_bundle

Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    """What an import did, per file (`teams.jsonl` …), and the warnings it gave."""

    counts: dict[str, FileCounts]
    warnings: list[BundleError] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated for c in self.counts.values())

    def summary_lines(self) -> list[str]:
        lines = []
        for name, c in self.counts.items():
            if c.created or c.updated or c.unchanged:
                lines.append(f"{name}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged")
        return lines


def import_bundle(path: str | Path, *, progress: Progress | None = None) -> ImportResult:
    """Import a bundle folder or .zip. Raises BundleInvalid (writing nothing) when any rule is broken.

    `progress(step, done, total)` is called as the work advances.
    """
    if progress:
        progress("reading", 0, 1)
    raw = read_bundle(path)
    counts = {name: FileCounts() for name in map(file_name, KINDS)}
    with transaction.atomic():
        if progress:
            progress("validating", 0, 1)
        bundle = validate_bundle(raw)
        del raw
        by_kind = {kind: counts[file_name(kind)] for kind in KINDS}
        Loader(bundle, by_kind, progress).run()
        activities = by_kind["activities"]
        if activities.created or activities.updated:
            # The analytics state is kept by the per-row services; after a bulk write it is rebuilt from the rows.
            refresh_after_bulk_write()
    if activities.created or activities.updated:
        tidy_after_rebuild()  # after the commit: nothing when the import runs inside an outer transaction
    return ImportResult(counts=counts, warnings=bundle.warnings)
