"""Writing a validated bundle: one method per file, bulk operations, prefetched ref → pk maps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import F

from salescope.accounts.models import Team, User
from salescope.activities.models import Activity
from salescope.billing.models import Invoice, Payment, Plan
from salescope.contacts.models import Contact, ContactEmail, ContactPhone
from salescope.deals.models import Deal, DealItem, Pipeline, Product, Stage
from salescope.deals.services import deal_refresh_current_stage
from salescope.followups.models import Task
from salescope.marketing.models import AdSpend
from salescope.quality.models import QAReview

from .fastinsert import insert_rows
from .fields import as_instant_key
from .lookups import chunks
from .upsert import FileCounts, Row, fetch_by_ref, save_rows
from .validate import ValidBundle

Progress = Callable[[str, int, int], None]
PLAN_FIELDS = ("pk", "month", "metric", "user_id", "team_id", "target")


class Loader:
    def __init__(self, bundle: ValidBundle, counts: dict[str, FileCounts], progress: Progress | None) -> None:
        self.bundle = bundle
        self.counts = counts
        self.progress = progress
        self.pks: dict[str, dict[str, int]] = {
            target: {ref: stored.pk for ref, stored in refs.items()} for target, refs in bundle.stored.items()
        }
        self.new_refs: dict[str, set[str]] = defaultdict(set)

    def records(self, kind: str) -> list[dict[str, Any]]:
        return [record for _, record in self.bundle.records[kind]]

    def pk(self, target: str, ref: str | None) -> int | None:
        return None if ref is None else self.pks[target][ref]

    def required_pk(self, target: str, ref: str) -> int:
        return self.pks[target][ref]

    def run(self) -> None:
        steps = [
            ("teams", self.load_teams),
            ("users", self.load_users),
            ("pipelines", self.load_pipelines),
            ("products", self.load_products),
            ("contacts", self.load_contacts),
            ("deals", self.load_deals),
            ("stage_changes", self.load_stage_changes),
            ("activities", self.load_activities),
            ("tasks", self.load_tasks),
            ("invoices", self.load_invoices),
            ("payments", self.load_payments),
            ("plans", self.load_plans),
            ("ad_spend", self.load_ad_spend),
            ("qa_reviews", self.load_qa_reviews),
        ]
        for number, (kind, step) in enumerate(steps):
            if self.progress:
                self.progress(kind, number, len(steps))
            if self.bundle.records[kind]:
                step()
        if self.progress:
            self.progress("done", len(steps), len(steps))

    def _by_ref(
        self, kind: str, model: Any, rows: list[Row], fields: list[str], force: Callable[[dict[str, Any]], set[str]]
    ) -> dict[str, dict[str, Any]]:
        existing = fetch_by_ref(model, [r.key for r in rows], fields)
        pks = save_rows(model, rows, existing, fields, self.counts[kind], force_update=force(existing))
        self.pks.setdefault(kind, {}).update(pks)
        self.new_refs[kind] = {r.key for r in rows if r.key not in existing}
        return existing

    def _simple(self, kind: str, model: Any, rows: list[Row]) -> None:
        fields = list(rows[0].values)
        self._by_ref(kind, model, rows, fields, lambda existing: set())

    def load_teams(self) -> None:
        rows = [Row(r["id"], {"name": r["name"]}) for r in self.records("teams")]
        self._simple("teams", Team, rows)

    def load_users(self) -> None:
        rows = []
        for r in self.records("users"):
            values = {
                "name": r["name"],
                "role": r["role"],
                "team_id": self.pk("teams", r["team"]),
                "email": r["email"],
                "phone_ext": r["phone_ext"],
                "is_active": r["active"],
            }
            extra = {
                "username": r["id"],
                "password": make_password(None),
                "is_staff": r["role"] in ("head", "admin"),
                "is_superuser": r["role"] == "admin",
            }
            rows.append(Row(r["id"], values, extra))
        roles_before = {
            ref: row["role"] for ref, row in fetch_by_ref(User, [row.key for row in rows], ["role"]).items()
        }
        self._simple("users", User, rows)
        # A user whose role changes gets the admin-site flags that user_create gives that role.
        for role in ("manager", "head", "admin"):
            changed = [
                r["id"] for r in self.records("users") if r["role"] == role and roles_before.get(r["id"], role) != role
            ]
            for batch in chunks(changed):
                User.objects.filter(ref__in=batch).update(is_staff=role != "manager", is_superuser=role == "admin")

    def load_pipelines(self) -> None:
        pipelines = self.records("pipelines")
        stage_rows: list[Row] = []
        stage_pipeline: dict[str, str] = {}
        for p in pipelines:
            for position, stage in enumerate(p["stages"]):
                stage_rows.append(Row(stage.id, {"name": stage.name, "kind": stage.kind, "position": position}))
                stage_pipeline[stage.id] = p["id"]
        stage_fields = ["pipeline_id", "name", "kind", "position"]
        stored_stages = fetch_by_ref(Stage, stage_pipeline, stage_fields)
        changed_pipelines = {
            stage_pipeline[row.key]
            for row in stage_rows
            if row.key not in stored_stages or any(stored_stages[row.key][f] != row.values[f] for f in row.values)
        }
        rows = [Row(p["id"], {"name": p["name"]}) for p in pipelines]
        self._by_ref("pipelines", Pipeline, rows, ["name"], lambda existing: changed_pipelines & set(existing))
        changed_pks = {self.pks["pipelines"][ref] for ref in changed_pipelines}
        # Free the positions first: (pipeline, position) is unique and the new order may swap stages.
        Stage.objects.filter(pipeline_id__in=changed_pks).update(position=F("position") + 100000)
        for row in stage_rows:
            row.values["pipeline_id"] = self.pks["pipelines"][stage_pipeline[row.key]]
        existing = {
            ref: dict(values, position=-1) if values["pipeline_id"] in changed_pks else values
            for ref, values in stored_stages.items()
        }
        self.pks["stages"].update(save_rows(Stage, stage_rows, existing, stage_fields, FileCounts()))
        self._renumber_other_stages(changed_pks, set(stage_pipeline))

    def _renumber_other_stages(self, pipeline_pks: set[int], bundle_stage_refs: set[str]) -> None:
        """Stored stages the bundle does not name stay, after the bundle's ones."""
        others = Stage.objects.filter(pipeline_id__in=pipeline_pks).exclude(ref__in=bundle_stage_refs)
        counts: dict[int, int] = defaultdict(int)
        for stage in Stage.objects.filter(pipeline_id__in=pipeline_pks, ref__in=bundle_stage_refs):
            counts[stage.pipeline_id] += 1
        moved = []
        for stage in others.order_by("pipeline_id", "position"):
            stage.position = counts[stage.pipeline_id]
            counts[stage.pipeline_id] += 1
            moved.append(stage)
        Stage.objects.bulk_update(moved, ["position"])

    def load_products(self) -> None:
        rows = [Row(r["id"], {"name": r["name"], "price": r["price"]}) for r in self.records("products")]
        self._simple("products", Product, rows)

    def load_contacts(self) -> None:
        records = self.records("contacts")
        rows = []
        for r in records:
            values = {name: r[name] for name in ("name", "created_at", "company", "source", "campaign", "utm")}
            values.update(ga_client_id=r["ga_client_id"], ym_client_id=r["ym_client_id"])
            values["owner_id"] = self.pk("users", r["owner"])
            rows.append(Row(r["id"], values))
        wanted = {r["id"]: (tuple(r["phones"]), tuple(r["emails"])) for r in records}
        replace: set[str] = set()

        def force(existing: dict[str, dict[str, Any]]) -> set[str]:
            by_pk = {row["pk"]: ref for ref, row in existing.items()}
            stored: dict[str, tuple[list[str], list[str]]] = {ref: ([], []) for ref in existing}
            for batch in chunks(by_pk):
                for contact_id, number in ContactPhone.objects.filter(contact_id__in=batch).values_list(
                    "contact_id", "number"
                ):
                    stored[by_pk[contact_id]][0].append(number)
                for contact_id, address in ContactEmail.objects.filter(contact_id__in=batch).values_list(
                    "contact_id", "address"
                ):
                    stored[by_pk[contact_id]][1].append(address)
            for ref, (numbers, addresses) in stored.items():
                if (tuple(numbers), tuple(addresses)) != wanted[ref]:
                    replace.add(ref)
            return replace

        fields = list(rows[0].values)
        self._by_ref("contacts", Contact, rows, fields, force)
        targets = replace | self.new_refs["contacts"]
        for batch in chunks([self.pks["contacts"][ref] for ref in replace]):
            ContactPhone.objects.filter(contact_id__in=batch).delete()
            ContactEmail.objects.filter(contact_id__in=batch).delete()
        phones: list[dict[str, Any]] = []
        emails: list[dict[str, Any]] = []
        for r in records:
            if r["id"] in targets:
                pk = self.pks["contacts"][r["id"]]
                phones += [{"contact_id": pk, "number": n, "position": i} for i, n in enumerate(r["phones"])]
                emails += [{"contact_id": pk, "address": a, "position": i} for i, a in enumerate(r["emails"])]
        insert_rows(ContactPhone, phones)
        insert_rows(ContactEmail, emails)

    def _latest_stages(self) -> dict[str, dict[str, Any]]:
        """Deal ref → the cached current stage of a new deal: its bundle history's last change by (at, file order).

        This is what deal_refresh_current_stage computes once the history is stored in file order; stored deals
        whose history changes are refreshed by it after the stage changes are written.
        """
        latest: dict[str, tuple[Any, Any]] = {}
        for change in self.records("stage_changes"):
            current = latest.get(change["deal"])
            if current is None or as_instant_key(change["at"]) >= current[0]:
                latest[change["deal"]] = (as_instant_key(change["at"]), change)
        return {
            ref: {"stage_id": self.pks["stages"][change["to_stage"]], "stage_changed_at": change["at"]}
            for ref, (_, change) in latest.items()
        }

    def load_deals(self) -> None:
        records = self.records("deals")
        current_stages = self._latest_stages()
        rows = []
        for r in records:
            values = {
                "contact_id": self.pk("contacts", r["contact"]),
                "owner_id": self.pk("users", r["owner"]),
                "pipeline_id": self.pk("pipelines", r["pipeline"]),
                "created_at": r["created_at"],
                "amount": r["amount"],
                "title": r["title"],
                "loss_reason": r["loss_reason"],
            }
            rows.append(Row(r["id"], values, current_stages.get(r["id"])))
        wanted = {
            r["id"]: [(self.required_pk("products", i.product), i.quantity, i.price) for i in r["items"]]
            for r in records
        }
        replace: set[str] = set()

        def force(existing: dict[str, dict[str, Any]]) -> set[str]:
            by_pk = {row["pk"]: ref for ref, row in existing.items()}
            stored: dict[str, list[tuple[int, int, Any]]] = {ref: [] for ref in existing}
            for batch in chunks(by_pk):
                rows = DealItem.objects.filter(deal_id__in=batch).order_by("deal_id", "position", "id")
                for deal_id, product_id, quantity, price in rows.values_list(
                    "deal_id", "product_id", "quantity", "price"
                ):
                    stored[by_pk[deal_id]].append((product_id, quantity, price))
            replace.update(ref for ref, items in stored.items() if items != wanted[ref])
            return replace

        self._by_ref("deals", Deal, rows, list(rows[0].values), force)
        targets = replace | self.new_refs["deals"]
        for batch in chunks([self.pks["deals"][ref] for ref in replace]):
            DealItem.objects.filter(deal_id__in=batch).delete()
        items: list[dict[str, Any]] = []
        for r in records:
            if r["id"] in targets:
                pk = self.pks["deals"][r["id"]]
                items += [
                    {"deal_id": pk, "product_id": product, "quantity": quantity, "price": price, "position": i}
                    for i, (product, quantity, price) in enumerate(wanted[r["id"]])
                ]
        insert_rows(DealItem, items)

    def load_stage_changes(self) -> None:
        from .stage_history import load_stage_changes

        touched = load_stage_changes(self, self.counts["stage_changes"])
        touched -= {self.pks["deals"][ref] for ref in self.new_refs["deals"]}
        for batch in chunks(sorted(touched)):
            deal_refresh_current_stage(batch)

    def load_activities(self) -> None:
        rows = []
        for r in self.records("activities"):
            values = {
                name: r[name]
                for name in (
                    "kind",
                    "started_at",
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
            }
            values["user_id"] = self.pk("users", r["user"])
            values["contact_id"] = self.pk("contacts", r["contact"])
            values["deal_id"] = self.pk("deals", r["deal"])
            rows.append(Row(r["id"], values))
        self._simple("activities", Activity, rows)

    def load_tasks(self) -> None:
        rows = []
        for r in self.records("tasks"):
            values = {name: r[name] for name in ("kind", "created_at", "due_at", "completed_at", "note")}
            values["user_id"] = self.pk("users", r["user"])
            values["contact_id"] = self.pk("contacts", r["contact"])
            values["deal_id"] = self.pk("deals", r["deal"])
            rows.append(Row(r["id"], values))
        self._simple("tasks", Task, rows)

    def load_invoices(self) -> None:
        rows = [
            Row(r["id"], {"deal_id": self.pk("deals", r["deal"]), "amount": r["amount"], "issued_at": r["issued_at"]})
            for r in self.records("invoices")
        ]
        self._simple("invoices", Invoice, rows)

    def load_payments(self) -> None:
        rows = [
            Row(
                r["id"],
                {"invoice_id": self.pk("invoices", r["invoice"]), "amount": r["amount"], "paid_at": r["paid_at"]},
            )
            for r in self.records("payments")
        ]
        self._simple("payments", Payment, rows)

    def load_plans(self) -> None:
        rows = []
        for r in self.records("plans"):
            user, team = self.pk("users", r["user"]), self.pk("teams", r["team"])
            key = (r["month"], r["metric"], user, team)
            values = {"month": r["month"], "metric": r["metric"], "user_id": user, "team_id": team}
            rows.append(Row(key, dict(values, target=r["target"])))
        months = {r["month"] for r in self.records("plans")}
        existing: dict[Any, dict[str, Any]] = {
            (p["month"], p["metric"], p["user_id"], p["team_id"]): dict(p)
            for p in Plan.objects.filter(month__in=months).values(
                "pk", "month", "metric", "user_id", "team_id", "target"
            )
        }
        save_rows(Plan, rows, existing, ["target"], self.counts["plans"], key_field=None)

    def load_ad_spend(self) -> None:
        records = self.records("ad_spend")
        rows = [
            Row(
                (r["date"], r["source"], r["campaign"]),
                {"date": r["date"], "source": r["source"], "campaign": r["campaign"], "amount": r["amount"]},
            )
            for r in records
        ]
        existing: dict[Any, dict[str, Any]] = {}
        for batch in chunks(sorted({r["date"] for r in records})):
            for spend in AdSpend.objects.filter(date__in=batch).values("pk", "date", "source", "campaign", "amount"):
                existing[(spend["date"], spend["source"], spend["campaign"])] = dict(spend)
        save_rows(AdSpend, rows, existing, ["amount"], self.counts["ad_spend"], key_field=None)

    def load_qa_reviews(self) -> None:
        rows = []
        for r in self.records("qa_reviews"):
            activity, reviewer = self.pk("activities", r["activity"]), self.pk("users", r["reviewer"])
            key = (activity, reviewer, as_instant_key(r["at"]))
            values = {"activity_id": activity, "reviewer_id": reviewer, "at": r["at"]}
            rows.append(Row(key, dict(values, scores=r["scores"], max=r["max"])))
        existing: dict[Any, dict[str, Any]] = {}
        for batch in chunks(sorted({row.key[0] for row in rows})):
            for review in QAReview.objects.filter(activity_id__in=batch).values(
                "pk", "activity_id", "reviewer_id", "at", "scores", "max"
            ):
                existing[(review["activity_id"], review["reviewer_id"], as_instant_key(review["at"]))] = dict(review)
        save_rows(QAReview, rows, existing, ["scores", "max"], self.counts["qa_reviews"], key_field=None)
