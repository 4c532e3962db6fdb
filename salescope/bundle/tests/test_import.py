"""Importing: what is written, matching on re-import, replacement of lists, tie order, zip input."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import F

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.billing.models import Plan
from salescope.bundle.importer import import_bundle
from salescope.bundle.writer import write_bundle
from salescope.contacts.models import Contact
from salescope.deals.models import Deal, Stage, StageChange

from .helpers import counts, snapshot
from .sample import sample_records, write_sample

pytestmark = pytest.mark.django_db

FIRST_COUNTS = {
    "teams.jsonl": (1, 0, 0),
    "users.jsonl": (3, 0, 0),
    "pipelines.jsonl": (1, 0, 0),
    "products.jsonl": (2, 0, 0),
    "contacts.jsonl": (2, 0, 0),
    "deals.jsonl": (2, 0, 0),
    "stage_changes.jsonl": (5, 0, 0),
    "activities.jsonl": (4, 0, 0),
    "tasks.jsonl": (2, 0, 0),
    "invoices.jsonl": (1, 0, 0),
    "payments.jsonl": (1, 0, 0),
    "plans.jsonl": (2, 0, 0),
    "ad_spend.jsonl": (2, 0, 0),
    "qa_reviews.jsonl": (1, 0, 0),
}
MSK = dt.timezone(dt.timedelta(hours=3))


def _stage_of(deal: str) -> str:
    return Deal.objects.filter(ref=deal).values_list("stage__ref", flat=True)[0]


def test_first_import_creates_every_record_with_its_values(tmp_path: Path) -> None:
    result = import_bundle(write_sample(tmp_path))
    assert counts(result) == FIRST_COUNTS
    assert result.warnings == []

    head = User.objects.annotate(team_ref=F("team__ref")).get(ref="head1")
    assert (head.username, head.name, head.role, head.team_ref, head.email) == (
        "head1",
        "Anna Head",
        "head",
        "t1",
        "anna@example.com",
    )
    assert not head.has_usable_password()
    assert User.objects.get(ref="m2").is_active is False
    assert User.objects.get(ref="m1").phone_ext == "101"

    contact = Contact.objects.get(ref="c1")
    assert list(contact.phones.values_list("number", flat=True)) == ["+79161234567", "+74951234567"]
    assert list(contact.emails.values_list("address", flat=True)) == ["info@romashka.ru"]
    assert contact.utm == {"utm_source": "yandex", "utm_medium": "cpc"}
    assert contact.created_at == dt.datetime(2026, 3, 2, 6, 15, tzinfo=dt.UTC)

    d1 = Deal.objects.get(ref="d1")
    assert [(i.product.ref, i.quantity, i.price) for i in d1.items.all()] == [
        ("p1", 2, Decimal("1000.00")),
        ("p2", 1, Decimal("500.00")),
    ]
    assert (_stage_of("d1"), d1.stage_changed_at) == ("won", dt.datetime(2026, 3, 10, 15, 30, tzinfo=MSK))
    d2 = Deal.objects.get(ref="d2")
    assert (_stage_of("d2"), d2.amount, d2.loss_reason) == ("lost", Decimal("700.00"), "too expensive")
    assert list(Stage.objects.filter(pipeline__ref="sales").values_list("ref", "position")) == [
        ("new", 0),
        ("offer", 1),
        ("won", 2),
        ("lost", 3),
    ]

    missed = Activity.objects.get(ref="a2")
    assert (missed.user, missed.status, missed.wait_s, missed.duration_s, missed.external_id) == (
        None,
        "missed",
        30,
        None,
        "call-2",
    )
    plan = Plan.objects.get(team__ref="t1")
    assert (plan.month, plan.metric, plan.target) == (dt.date(2026, 3, 1), "calls_out", Decimal("300.00"))


def test_reimport_of_the_same_bundle_changes_nothing(tmp_path: Path) -> None:
    bundle = write_sample(tmp_path)
    import_bundle(bundle)
    before = snapshot()
    result = import_bundle(bundle)
    assert counts(result) == {name: (0, 0, created) for name, (created, _, _) in FIRST_COUNTS.items()}
    assert result.changed == 0
    assert snapshot() == before


def test_reimport_updates_matched_records_and_never_duplicates(tmp_path: Path) -> None:
    import_bundle(write_sample(tmp_path / "first"))
    records = sample_records()
    records["contacts"][0]["name"] = "OOO Romashka Plus"
    records["contacts"][1]["phones"] = ["+7 916 000-00-01"]
    records["deals"][0]["items"] = [{"product": "p2", "quantity": 5, "price": "500.00"}]
    records["stage_changes"][2]["by"] = "head1"
    records["plans"][0]["target"] = "120000"
    records["ad_spend"][1]["amount"] = "10.00"
    records["qa_reviews"][0]["scores"] = {"greeting": 3}
    records["pipelines"][0]["stages"][0:2] = [
        records["pipelines"][0]["stages"][1],
        records["pipelines"][0]["stages"][0],
    ]
    # a record the bundle no longer names is kept
    records["tasks"].pop()
    result = import_bundle(write_bundle(tmp_path / "second", records))

    assert counts(result) == {
        "teams.jsonl": (0, 0, 1),
        "users.jsonl": (0, 0, 3),
        "pipelines.jsonl": (0, 1, 0),
        "products.jsonl": (0, 0, 2),
        "contacts.jsonl": (0, 2, 0),
        "deals.jsonl": (0, 1, 1),
        "stage_changes.jsonl": (0, 1, 4),
        "activities.jsonl": (0, 0, 4),
        "tasks.jsonl": (0, 0, 1),
        "invoices.jsonl": (0, 0, 1),
        "payments.jsonl": (0, 0, 1),
        "plans.jsonl": (0, 1, 1),
        "ad_spend.jsonl": (0, 1, 1),
        "qa_reviews.jsonl": (0, 1, 0),
    }
    assert Contact.objects.get(ref="c1").name == "OOO Romashka Plus"
    assert list(Contact.objects.get(ref="c2").phones.values_list("number", flat=True)) == ["+79160000001"]
    assert [(i.product.ref, i.quantity) for i in Deal.objects.get(ref="d1").items.all()] == [("p2", 5)]
    assert StageChange.objects.count() == 5
    assert StageChange.objects.filter(deal__ref="d1", stage__ref="won").values_list("by__ref", flat=True)[0] == "head1"
    assert Plan.objects.get(user__ref="m1").target == Decimal("120000.00")
    assert list(Stage.objects.filter(pipeline__ref="sales").values_list("ref", flat=True)) == [
        "offer",
        "new",
        "won",
        "lost",
    ]
    assert Contact.objects.count() == 2
    assert sorted(User.objects.values_list("ref", flat=True)) == ["head1", "m1", "m2"]
    assert sorted(t for t in Deal.objects.values_list("ref", flat=True)) == ["d1", "d2"]
    from salescope.followups.models import Task

    assert sorted(Task.objects.values_list("ref", flat=True)) == ["k1", "k2"]


def _tie_bundle(directory: Path, order: list[str]) -> Path:
    records = sample_records()
    at = "2026-03-02T10:00:00+03:00"
    records["stage_changes"] = [c for c in records["stage_changes"] if c["deal"] != "d1"]
    records["stage_changes"] += [{"deal": "d1", "to_stage": stage, "at": at} for stage in order]
    return write_bundle(directory, records)


def _d1_history() -> list[str]:
    return list(StageChange.objects.filter(deal__ref="d1").order_by("at", "id").values_list("stage__ref", flat=True))


def test_changes_at_the_same_instant_keep_their_file_order(tmp_path: Path) -> None:
    import_bundle(_tie_bundle(tmp_path / "a", ["offer", "new", "won"]))
    assert _d1_history() == ["offer", "new", "won"]
    assert _stage_of("d1") == "won"

    result = import_bundle(_tie_bundle(tmp_path / "b", ["won", "offer", "new"]))
    assert counts(result)["stage_changes.jsonl"] == (0, 3, 2)
    assert _d1_history() == ["won", "offer", "new"]
    assert _stage_of("d1") == "new"

    assert import_bundle(_tie_bundle(tmp_path / "c", ["won", "offer", "new"])).changed == 0


@pytest.mark.parametrize("nested", [False, True], ids=["files at the root", "zip of the folder"])
def test_zip_input(tmp_path: Path, nested: bool) -> None:
    folder = write_sample(tmp_path / "bundle")
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(folder.iterdir()):
            handle.write(path, f"bundle/{path.name}" if nested else path.name)
    shutil.rmtree(folder)
    assert counts(import_bundle(archive)) == FIRST_COUNTS


def test_progress_is_reported(tmp_path: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    import_bundle(write_sample(tmp_path), progress=lambda step, done, total: steps.append((step, done, total)))
    assert steps[:3] == [("reading", 0, 1), ("validating", 0, 1), ("teams", 0, 14)]
    assert steps[-1] == ("done", 14, 14)


def test_a_role_change_also_changes_the_admin_flags(tmp_path: Path) -> None:
    import_bundle(write_sample(tmp_path / "first"))
    assert User.objects.filter(ref="head1").values_list("is_staff", "is_superuser")[0] == (True, False)
    records = sample_records()
    records["users"][0]["role"] = "manager"
    records["users"][1]["role"] = "admin"
    result = import_bundle(write_bundle(tmp_path / "second", records))
    assert counts(result)["users.jsonl"] == (0, 2, 1)
    flags = dict(
        (ref, (staff, superuser))
        for ref, staff, superuser in User.objects.values_list("ref", "is_staff", "is_superuser")
    )
    assert flags == {"head1": (False, False), "m1": (True, True), "m2": (False, False)}
