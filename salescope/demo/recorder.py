"""Collects the demo's timed records, dropping whatever would happen after the moment of generation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .clock import WorkClock

Record = dict[str, Any]


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


class Recorder:
    """Every `add_*` ignores a record timed after `cutoff`; ids of activities and tasks are given at the end."""

    def __init__(self, clock: WorkClock, cutoff: dt.datetime) -> None:
        self.clock = clock
        self.cutoff = cutoff
        self.contacts: list[Record] = []
        self.deals: list[Record] = []
        self.stage_changes: list[Record] = []
        self.invoices: list[Record] = []
        self.payments: list[Record] = []
        self._activities: list[tuple[dt.datetime, int, Record]] = []
        self._tasks: list[tuple[dt.datetime, int, Record]] = []
        self._serial = 0
        self._external = 0

    def exists(self, t: dt.datetime) -> bool:
        return t <= self.cutoff

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def stage(self, deal: Record, stage: str, t: dt.datetime, by: str) -> bool:
        if not self.exists(t):
            return False
        self.stage_changes.append({"deal": deal["id"], "to_stage": stage, "at": self.clock.iso(t), "by": by})
        return True

    def activity(self, kind: str, t: dt.datetime, **fields: Any) -> bool:
        if not self.exists(t):
            return False
        record: Record = {"kind": kind, "started_at": self.clock.iso(t)}
        record.update({k: v for k, v in fields.items() if v is not None})
        channel = record.get("channel")
        if kind in ("call", "message", "email"):
            self._external += 1
            if kind == "call":
                record["origin"], record["external_id"] = "telephony", f"pbx-{self._external:07d}"
            elif kind == "message":
                record["origin"], record["external_id"] = "messenger", f"{channel}-{self._external:07d}"
            else:
                record["origin"] = "mail"
                record["external_id"] = f"<demo-{self._external:07d}@mail.salescope.example>"
        else:
            record["origin"] = "manual"
        self._activities.append((t, self._next_serial(), record))
        return True

    def task(
        self,
        kind: str,
        user: str,
        created_at: dt.datetime,
        due_at: dt.datetime,
        *,
        completed_at: dt.datetime | None = None,
        **fields: Any,
    ) -> bool:
        if not self.exists(created_at):
            return False
        record: Record = {"kind": kind, "user": user, "created_at": self.clock.iso(created_at)}
        record["due_at"] = self.clock.iso(due_at)
        if completed_at is not None and self.exists(completed_at):
            record["completed_at"] = self.clock.iso(completed_at)
        record.update({k: v for k, v in fields.items() if v is not None})
        self._tasks.append((created_at, self._next_serial(), record))
        return True

    def invoice(self, deal: Record, amount: Decimal, t: dt.datetime) -> Record | None:
        if not self.exists(t):
            return None
        record = {"id": f"inv{len(self.invoices) + 1:05d}", "deal": deal["id"], "amount": money(amount)}
        record["issued_at"] = self.clock.iso(t)
        self.invoices.append(record)
        return record

    def payment(self, invoice: Record, amount: Decimal, t: dt.datetime) -> bool:
        if not self.exists(t):
            return False
        record = {"id": f"pay{len(self.payments) + 1:05d}", "invoice": invoice["id"], "amount": money(amount)}
        record["paid_at"] = self.clock.iso(t)
        self.payments.append(record)
        return True

    def activities(self) -> list[Record]:
        """Activities in time order, numbered in that order."""
        ordered = [record for _, _, record in sorted(self._activities, key=lambda item: (item[0], item[1]))]
        return [{"id": f"a{n:06d}", **record} for n, record in enumerate(ordered, start=1)]

    def tasks(self) -> list[Record]:
        ordered = [record for _, _, record in sorted(self._tasks, key=lambda item: (item[0], item[1]))]
        return [{"id": f"t{n:05d}", **record} for n, record in enumerate(ordered, start=1)]

    def calls_out_by_user(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, _, record in self._activities:
            if record["kind"] == "call" and record.get("direction") == "out" and record.get("user"):
                counts[record["user"]] = counts.get(record["user"], 0) + 1
        return counts
