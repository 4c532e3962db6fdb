"""A small valid bundle touching every file, for tests (reusable by other apps' tests)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from salescope.bundle.writer import write_bundle

SAMPLE: dict[str, list[dict[str, Any]]] = {
    "teams": [{"id": "t1", "name": "Moscow team"}],
    "users": [
        {"id": "head1", "name": "Anna Head", "role": "head", "team": "t1", "email": "anna@example.com"},
        {"id": "m1", "name": "Boris Manager", "role": "manager", "team": "t1", "phone_ext": "101"},
        {"id": "m2", "name": "Vera Manager", "role": "manager", "team": "t1", "active": False},
    ],
    "pipelines": [
        {
            "id": "sales",
            "name": "Sales",
            "stages": [
                {"id": "new", "name": "New", "kind": "open"},
                {"id": "offer", "name": "Offer", "kind": "open"},
                {"id": "won", "name": "Won", "kind": "won"},
                {"id": "lost", "name": "Lost", "kind": "lost"},
            ],
        }
    ],
    "products": [{"id": "p1", "name": "Licence", "price": "1000.00"}, {"id": "p2", "name": "Setup"}],
    "contacts": [
        {
            "id": "c1",
            "name": "OOO Romashka",
            "created_at": "2026-03-02T09:15:00+03:00",
            "owner": "m1",
            "company": "Romashka",
            "phones": ["8 (916) 123-45-67", "+7 495 123 45 67"],
            "emails": ["info@romashka.ru"],
            "source": "yandex_direct",
            "campaign": "spring",
            "utm": {"utm_source": "yandex", "utm_medium": "cpc"},
            "ym_client_id": "123.456",
        },
        {"id": "c2", "name": "Ivan Petrov", "created_at": "2026-03-03T10:00:00Z"},
    ],
    "deals": [
        {
            "id": "d1",
            "contact": "c1",
            "owner": "m1",
            "pipeline": "sales",
            "created_at": "2026-03-02T10:00:00+03:00",
            "amount": "2500.00",
            "title": "Licences",
            "items": [
                {"product": "p1", "quantity": 2, "price": "1000.00"},
                {"product": "p2", "quantity": 1, "price": "500"},
            ],
        },
        {
            "id": "d2",
            "contact": "c2",
            "owner": "m2",
            "pipeline": "sales",
            "created_at": "2026-03-04T12:00:00+03:00",
            "amount": "700",
            "loss_reason": "too expensive",
        },
    ],
    "stage_changes": [
        {"deal": "d1", "to_stage": "new", "at": "2026-03-02T10:00:00+03:00", "by": "m1"},
        {"deal": "d1", "to_stage": "offer", "at": "2026-03-05T11:00:00+03:00", "by": "m1"},
        {"deal": "d1", "to_stage": "won", "at": "2026-03-10T15:30:00+03:00"},
        {"deal": "d2", "to_stage": "offer", "at": "2026-03-04T09:00:00Z"},
        {"deal": "d2", "to_stage": "lost", "at": "2026-03-06T12:00:00+03:00", "by": "m2"},
    ],
    "activities": [
        {
            "id": "a1",
            "kind": "call",
            "started_at": "2026-03-02T09:20:00+03:00",
            "user": "m1",
            "contact": "c1",
            "deal": "d1",
            "direction": "in",
            "status": "answered",
            "duration_s": 180,
            "wait_s": 12,
            "channel": "phone",
            "origin": "telephony",
            "external_id": "call-1",
            "recording_url": "https://rec.example.com/1.mp3",
            "transcript": "Hello",
        },
        {
            "id": "a2",
            "kind": "call",
            "started_at": "2026-03-02T20:00:00+03:00",
            "direction": "in",
            "status": "missed",
            "wait_s": 30,
            "origin": "telephony",
            "external_id": "call-2",
        },
        {"id": "a3", "kind": "email", "started_at": "2026-03-03T11:00:00+03:00", "user": "m1", "direction": "out"},
        {"id": "a4", "kind": "meeting", "started_at": "2026-03-05T14:00:00+03:00", "user": "m1", "deal": "d1"},
    ],
    "tasks": [
        {
            "id": "k1",
            "kind": "callback",
            "user": "m1",
            "created_at": "2026-03-02T09:30:00+03:00",
            "due_at": "2026-03-03T10:00:00+03:00",
            "contact": "c1",
            "completed_at": "2026-03-03T10:05:00+03:00",
            "note": "The client needs to think",
        },
        {
            "id": "k2",
            "kind": "todo",
            "user": "m2",
            "created_at": "2026-03-04T09:00:00Z",
            "due_at": "2026-03-09T09:00:00Z",
        },
    ],
    "invoices": [{"id": "i1", "deal": "d1", "amount": "2500.00", "issued_at": "2026-03-10T16:00:00+03:00"}],
    "payments": [{"id": "pay1", "invoice": "i1", "amount": "2500.00", "paid_at": "2026-03-12T10:00:00+03:00"}],
    "plans": [
        {"month": "2026-03", "metric": "revenue_won", "target": "100000.00", "user": "m1"},
        {"month": "2026-03", "metric": "calls_out", "target": "300", "team": "t1"},
    ],
    "ad_spend": [
        {"date": "2026-03-02", "source": "yandex_direct", "amount": "1500.50", "campaign": "spring"},
        {"date": "2026-03-02", "source": "seo", "amount": "0.00"},
    ],
    "qa_reviews": [
        {"activity": "a1", "reviewer": "head1", "at": "2026-03-03T12:00:00+03:00", "scores": {"greeting": 2}, "max": 3}
    ],
}


def sample_records() -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(SAMPLE)


def write_sample(directory: Path, **changes: list[dict[str, Any]]) -> Path:
    """Write the sample bundle, with some files replaced by `changes`."""
    records = sample_records()
    records.update(changes)
    return write_bundle(directory, records)
