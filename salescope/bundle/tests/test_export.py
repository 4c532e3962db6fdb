"""Exporting: format of the files, the empty-folder rule, and the round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salescope.bundle.compare import bundle_differences
from salescope.bundle.errors import ExportTargetError
from salescope.bundle.exporter import export_bundle
from salescope.bundle.importer import import_bundle
from salescope.bundle.schema import FILE_NAMES
from salescope.bundle.writer import write_bundle

from .helpers import snapshot
from .sample import sample_records, write_sample

pytestmark = pytest.mark.django_db


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_round_trip_gives_the_same_records_and_reimports_with_zero_changes(tmp_path: Path) -> None:
    original = write_sample(tmp_path / "original")
    import_bundle(original)
    before = snapshot()
    written = export_bundle(tmp_path / "exported")
    assert written["activities.jsonl"] == 4 and written["stage_changes.jsonl"] == 5
    assert bundle_differences(original, tmp_path / "exported") == {}
    result = import_bundle(tmp_path / "exported")
    assert result.changed == 0
    assert snapshot() == before


def test_round_trip_detects_a_difference(tmp_path: Path) -> None:
    original = write_sample(tmp_path / "original")
    import_bundle(original)
    export_bundle(tmp_path / "exported")
    records = sample_records()
    records["deals"][1]["amount"] = "701"
    assert bundle_differences(write_bundle(tmp_path / "changed", records), tmp_path / "exported") == {
        "deals.jsonl": (1, 1)
    }


def test_exported_values_are_canonical(tmp_path: Path) -> None:
    import_bundle(write_sample(tmp_path / "original"))
    out = tmp_path / "new" / "folder"
    export_bundle(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(["manifest.json", *FILE_NAMES])
    assert json.loads((out / "manifest.json").read_text()) == {
        "format": "salescope-bundle",
        "version": 1,
        "timezone": "Europe/Moscow",
        "currency": "RUB",
    }
    contacts = _lines(out / "contacts.jsonl")
    assert contacts[1] == {"id": "c2", "name": "Ivan Petrov", "created_at": "2026-03-03T13:00:00+03:00"}
    assert contacts[0]["phones"] == ["+79161234567", "+74951234567"]
    deals = _lines(out / "deals.jsonl")
    assert deals[0]["items"] == [
        {"product": "p1", "quantity": 2, "price": "1000.00"},
        {"product": "p2", "quantity": 1, "price": "500.00"},
    ]
    assert deals[1]["amount"] == "700.00"
    assert _lines(out / "stage_changes.jsonl")[3] == {
        "deal": "d2",
        "to_stage": "offer",
        "at": "2026-03-04T12:00:00+03:00",
    }
    assert _lines(out / "products.jsonl")[1] == {"id": "p2", "name": "Setup"}
    assert _lines(out / "users.jsonl")[2] == {
        "id": "m2",
        "name": "Vera Manager",
        "role": "manager",
        "team": "t1",
        "active": False,
    }
    assert _lines(out / "plans.jsonl") == [
        {"month": "2026-03", "metric": "calls_out", "target": "300.00", "team": "t1"},
        {"month": "2026-03", "metric": "revenue_won", "target": "100000.00", "user": "m1"},
    ]


def test_stage_changes_are_exported_per_deal_by_time_then_recording_order(tmp_path: Path) -> None:
    records = sample_records()
    at = "2026-03-02T10:00:00+03:00"
    records["stage_changes"] = [c for c in records["stage_changes"] if c["deal"] != "d1"] + [
        {"deal": "d1", "to_stage": "won", "at": "2026-03-09T10:00:00+03:00"},
        {"deal": "d1", "to_stage": "offer", "at": at},
        {"deal": "d1", "to_stage": "new", "at": at},
    ]
    import_bundle(write_bundle(tmp_path / "in", records))
    export_bundle(tmp_path / "out")
    d1 = [(c["to_stage"], c["at"]) for c in _lines(tmp_path / "out" / "stage_changes.jsonl") if c["deal"] == "d1"]
    assert d1 == [("offer", at), ("new", at), ("won", "2026-03-09T10:00:00+03:00")]


def test_export_needs_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "old.txt").write_text("x")
    with pytest.raises(ExportTargetError, match="busy is not empty; export into a new or empty folder"):
        export_bundle(tmp_path / "busy")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportTargetError, match="file exists and is not a folder"):
        export_bundle(tmp_path / "file")
    (tmp_path / "empty").mkdir()
    assert sum(export_bundle(tmp_path / "empty").values()) == 0
