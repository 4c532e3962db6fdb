"""`export_bundle`: every stored record, written as a bundle that re-imports with zero changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import Model, QuerySet

from salescope.accounts.models import Team, User
from salescope.activities.models import Activity
from salescope.billing.models import Invoice, Payment, Plan
from salescope.contacts.models import Contact, ContactEmail, ContactPhone
from salescope.core.timeutil import format_instant, format_money
from salescope.deals.models import Deal, DealItem, Pipeline, Product, Stage, StageChange
from salescope.followups.models import Task
from salescope.marketing.models import AdSpend
from salescope.quality.models import QAReview

from .errors import ExportTargetError
from .schema import KINDS, file_name
from .writer import write_jsonl, write_manifest

Progress = Callable[[str, int, int], None]
BATCH = 2000


def export_bundle(directory: str | Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Write every stored record into DIR (created if missing, must be empty); return records per file."""
    path = Path(directory)
    if path.exists() and not path.is_dir():
        raise ExportTargetError(f"{path} exists and is not a folder")
    if path.exists() and any(path.iterdir()):
        raise ExportTargetError(f"{path} is not empty; export into a new or empty folder")
    path.mkdir(parents=True, exist_ok=True)
    write_manifest(path)
    exporter = _Exporter()
    written: dict[str, int] = {}
    for number, kind in enumerate(KINDS):
        if progress:
            progress(kind, number, len(KINDS))
        with open(path / file_name(kind), "w", encoding="utf-8") as handle:
            written[file_name(kind)] = write_jsonl(handle, getattr(exporter, kind)())
    if progress:
        progress("done", len(KINDS), len(KINDS))
    return written


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Absent optional fields are omitted."""
    return {k: v for k, v in record.items() if v is not None and v != "" and v != [] and v != {}}


def _instant(value: Any) -> str | None:
    return None if value is None else format_instant(value)


def _money(value: Any) -> str | None:
    return None if value is None else format_money(value)


def _in_batches(queryset: QuerySet[Any, Any]) -> Iterator[list[dict[str, Any]]]:
    """Rows of a values() queryset ordered by id, fetched by ranges of ids."""
    last = 0
    while True:
        batch = list(queryset.filter(id__gt=last).order_by("id")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1]["id"]


def _children(model: type[Model], parent: str, ids: list[int], *fields: str) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    rows = model._default_manager.filter(**{f"{parent}__in": ids}).order_by(parent, "position", "id")
    for row in rows.values_list(parent, *fields):
        found[row[0]].append(row[1] if len(fields) == 1 else row[1:])
    return found


class _Exporter:
    def __init__(self) -> None:
        self.user_refs = {
            pk: ref or username for pk, ref, username in User.objects.values_list("pk", "ref", "username")
        }
        self.team_refs = dict(Team.objects.values_list("pk", "ref"))
        self.pipeline_refs = dict(Pipeline.objects.values_list("pk", "ref"))
        self.stage_refs = dict(Stage.objects.values_list("pk", "ref"))
        self.product_refs = dict(Product.objects.values_list("pk", "ref"))

    def teams(self) -> Iterator[dict[str, Any]]:
        for row in Team.objects.order_by("id").values("ref", "name").iterator(BATCH):
            yield {"id": row["ref"], "name": row["name"]}

    def users(self) -> Iterator[dict[str, Any]]:
        rows = User.objects.order_by("id").values(
            "id", "username", "name", "role", "team_id", "email", "phone_ext", "is_active"
        )
        for row in rows:
            record = {
                "id": self.user_refs[row["id"]],
                "name": row["name"] or row["username"],
                "role": row["role"],
                "team": self.team_refs.get(row["team_id"]),
                "email": row["email"],
                "phone_ext": row["phone_ext"],
            }
            yield dict(_compact(record), active=row["is_active"])

    def pipelines(self) -> Iterator[dict[str, Any]]:
        stages: dict[int, list[dict[str, str]]] = defaultdict(list)
        for pipeline_id, ref, name, kind in Stage.objects.order_by("pipeline_id", "position").values_list(
            "pipeline_id", "ref", "name", "kind"
        ):
            stages[pipeline_id].append({"id": ref, "name": name, "kind": kind})
        for pk, ref, name in Pipeline.objects.order_by("id").values_list("pk", "ref", "name"):
            yield {"id": ref, "name": name, "stages": stages[pk]}

    def products(self) -> Iterator[dict[str, Any]]:
        for row in Product.objects.order_by("id").values("ref", "name", "price").iterator(BATCH):
            yield _compact({"id": row["ref"], "name": row["name"], "price": _money(row["price"])})

    def contacts(self) -> Iterator[dict[str, Any]]:
        for batch in _in_batches(Contact.objects.values()):
            ids = [row["id"] for row in batch]
            phones = _children(ContactPhone, "contact_id", ids, "number")
            emails = _children(ContactEmail, "contact_id", ids, "address")
            for row in batch:
                yield _compact(
                    {
                        "id": row["ref"],
                        "name": row["name"],
                        "created_at": _instant(row["created_at"]),
                        "owner": self.user_refs.get(row["owner_id"]),
                        "company": row["company"],
                        "phones": phones.get(row["id"], []),
                        "emails": emails.get(row["id"], []),
                        "source": row["source"],
                        "campaign": row["campaign"],
                        "utm": row["utm"],
                        "ga_client_id": row["ga_client_id"],
                        "ym_client_id": row["ym_client_id"],
                    }
                )

    def deals(self) -> Iterator[dict[str, Any]]:
        for batch in _in_batches(Deal.objects.values(*DEAL_FIELDS)):
            items = _children(DealItem, "deal_id", [row["id"] for row in batch], "product_id", "quantity", "price")
            for row in batch:
                record = {
                    "id": row["ref"],
                    "contact": row["contact__ref"],
                    "owner": self.user_refs[row["owner_id"]],
                    "pipeline": self.pipeline_refs[row["pipeline_id"]],
                    "created_at": _instant(row["created_at"]),
                    "amount": _money(row["amount"]),
                    "title": row["title"],
                    "items": [
                        {"product": self.product_refs[product], "quantity": quantity, "price": _money(price)}
                        for product, quantity, price in items.get(row["id"], [])
                    ],
                    "loss_reason": row["loss_reason"],
                }
                yield _compact(record)

    def stage_changes(self) -> Iterator[dict[str, Any]]:
        rows = StageChange.objects.order_by("deal_id", "at", "id").values("deal__ref", "stage_id", "at", "by_id")
        for row in rows.iterator(BATCH):
            yield _compact(
                {
                    "deal": row["deal__ref"],
                    "to_stage": self.stage_refs[row["stage_id"]],
                    "at": _instant(row["at"]),
                    "by": self.user_refs.get(row["by_id"]),
                }
            )

    def activities(self) -> Iterator[dict[str, Any]]:
        for batch in _in_batches(Activity.objects.values(*ACTIVITY_FIELDS)):
            for row in batch:
                record = {
                    "id": row["ref"],
                    "kind": row["kind"],
                    "started_at": _instant(row["started_at"]),
                    "user": self.user_refs.get(row["user_id"]),
                    "contact": row["contact__ref"],
                    "deal": row["deal__ref"],
                }
                for name in ACTIVITY_FIELDS[7:]:
                    record[name] = row[name]
                yield _compact(record)

    def tasks(self) -> Iterator[dict[str, Any]]:
        fields = ("id", "ref", "kind", "user_id", "created_at", "due_at", "contact__ref", "deal__ref", "completed_at")
        for batch in _in_batches(Task.objects.values(*fields, "note")):
            for row in batch:
                yield _compact(
                    {
                        "id": row["ref"],
                        "kind": row["kind"],
                        "user": self.user_refs[row["user_id"]],
                        "created_at": _instant(row["created_at"]),
                        "due_at": _instant(row["due_at"]),
                        "contact": row["contact__ref"],
                        "deal": row["deal__ref"],
                        "completed_at": _instant(row["completed_at"]),
                        "note": row["note"],
                    }
                )

    def invoices(self) -> Iterator[dict[str, Any]]:
        for batch in _in_batches(Invoice.objects.values("id", "ref", "deal__ref", "amount", "issued_at")):
            for row in batch:
                yield {
                    "id": row["ref"],
                    "deal": row["deal__ref"],
                    "amount": _money(row["amount"]),
                    "issued_at": _instant(row["issued_at"]),
                }

    def payments(self) -> Iterator[dict[str, Any]]:
        for batch in _in_batches(Payment.objects.values("id", "ref", "invoice__ref", "amount", "paid_at")):
            for row in batch:
                yield {
                    "id": row["ref"],
                    "invoice": row["invoice__ref"],
                    "amount": _money(row["amount"]),
                    "paid_at": _instant(row["paid_at"]),
                }

    def plans(self) -> Iterator[dict[str, Any]]:
        rows = Plan.objects.order_by("month", "metric", "id").values("month", "metric", "target", "user_id", "team_id")
        for row in rows:
            yield _compact(
                {
                    "month": row["month"].strftime("%Y-%m"),
                    "metric": row["metric"],
                    "target": _money(row["target"]),
                    "user": self.user_refs.get(row["user_id"]),
                    "team": self.team_refs.get(row["team_id"]),
                }
            )

    def ad_spend(self) -> Iterator[dict[str, Any]]:
        rows = AdSpend.objects.order_by("date", "source", "campaign").values("date", "source", "campaign", "amount")
        for row in rows.iterator(BATCH):
            yield _compact(
                {
                    "date": row["date"].isoformat(),
                    "source": row["source"],
                    "amount": _money(row["amount"]),
                    "campaign": row["campaign"],
                }
            )

    def qa_reviews(self) -> Iterator[dict[str, Any]]:
        rows = QAReview.objects.order_by("id").values("activity__ref", "reviewer_id", "at", "scores", "max")
        for row in rows.iterator(BATCH):
            yield {
                "activity": row["activity__ref"],
                "reviewer": self.user_refs[row["reviewer_id"]],
                "at": _instant(row["at"]),
                "scores": row["scores"],
                "max": row["max"],
            }


DEAL_FIELDS = (
    "id",
    "ref",
    "contact__ref",
    "owner_id",
    "pipeline_id",
    "created_at",
    "amount",
    "title",
    "loss_reason",
)
ACTIVITY_FIELDS = (
    "id",
    "ref",
    "kind",
    "started_at",
    "user_id",
    "contact__ref",
    "deal__ref",
    "direction",
    "status",
    "duration_s",
    "wait_s",
    "channel",
    "origin",
    "external_id",
    "recording_url",
    "transcript",
)
