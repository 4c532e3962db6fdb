"""A small hand-made bundle whose March 2026 report was computed by hand (see test_reference.py)."""

from __future__ import annotations

from typing import Any

TIMEZONE = "Europe/Moscow"


def mini_bundle() -> dict[str, list[dict[str, Any]]]:
    return {
        "teams": [{"id": "t1", "name": "Team one"}, {"id": "t2", "name": "Empty team"}],
        "users": [
            {"id": "u1", "name": "Anna", "role": "manager", "team": "t1"},
            {"id": "u2", "name": "Boris", "role": "manager", "team": "t1"},
            {"id": "u3", "name": "Vera", "role": "head", "active": False},
        ],
        "pipelines": [
            {
                "id": "p",
                "name": "Sales",
                "stages": [
                    {"id": "s1", "name": "New", "kind": "open"},
                    {"id": "s2", "name": "Talks", "kind": "open"},
                    {"id": "w", "name": "Won", "kind": "won"},
                    {"id": "l", "name": "Lost", "kind": "lost"},
                ],
            }
        ],
        "products": [{"id": "pa", "name": "A", "price": "500.00"}, {"id": "pb", "name": "B", "price": "500.00"}],
        "contacts": [
            {
                "id": "c1",
                "name": "Client one",
                "created_at": "2026-02-20T10:00:00+03:00",
                "source": "seo",
                "campaign": "x",
            },
            {"id": "c2", "name": "Client two", "created_at": "2026-03-19T10:00:00+03:00"},
            {"id": "c3", "name": "Client three", "created_at": "2026-03-15T09:00:00+03:00", "phones": ["+79161234567"]},
        ],
        "deals": [
            {
                "id": "d1",
                "contact": "c1",
                "owner": "u1",
                "pipeline": "p",
                "created_at": "2026-03-02T10:00:00+03:00",
                "amount": "1000.00",
                "items": [
                    {"product": "pa", "quantity": 1, "price": "500.00"},
                    {"product": "pb", "quantity": 1, "price": "500.00"},
                ],
            },
            {
                "id": "d2",
                "contact": "c1",
                "owner": "u2",
                "pipeline": "p",
                "created_at": "2026-03-10T07:00:00Z",
                "amount": "300.00",
            },
            {
                "id": "d3",
                "contact": "c2",
                "owner": "u1",
                "pipeline": "p",
                "created_at": "2026-03-20T00:00:00+03:00",
                "amount": "200.00",
            },
            {
                "id": "d4",
                "contact": "c1",
                "owner": "u1",
                "pipeline": "p",
                "created_at": "2026-03-06T10:00:00+03:00",
                "amount": "400.00",
            },
        ],
        "stage_changes": [
            {"deal": "d1", "to_stage": "s1", "at": "2026-03-02T10:00:00+03:00"},
            {"deal": "d1", "to_stage": "s2", "at": "2026-03-03T10:00:00+03:00"},
            {"deal": "d1", "to_stage": "w", "at": "2026-03-05T10:00:00+03:00", "by": "u1"},
            {"deal": "d2", "to_stage": "s1", "at": "2026-03-10T10:00:00+03:00"},
            {"deal": "d2", "to_stage": "l", "at": "2026-03-12T10:00:00+03:00"},
            {"deal": "d3", "to_stage": "w", "at": "2026-03-19T21:00:00Z"},
            {"deal": "d3", "to_stage": "s1", "at": "2026-03-21T10:00:00+03:00"},
            {"deal": "d4", "to_stage": "s1", "at": "2026-03-06T10:00:00+03:00"},
            {"deal": "d4", "to_stage": "w", "at": "2026-03-25T12:00:00+03:00"},
        ],
        "activities": [
            {
                "id": "a1",
                "kind": "call",
                "direction": "in",
                "status": "missed",
                "user": "u1",
                "contact": "c1",
                "started_at": "2026-03-02T09:00:00+03:00",
                "origin": "telephony",
                "external_id": "x1",
            },
            {
                "id": "a2",
                "kind": "call",
                "direction": "out",
                "status": "answered",
                "duration_s": 120,
                "user": "u2",
                "contact": "c1",
                "started_at": "2026-03-03T09:00:00+03:00",
                "origin": "telephony",
                "external_id": "x2",
            },
            {
                "id": "a3",
                "kind": "message",
                "direction": "in",
                "contact": "c2",
                "started_at": "2026-03-19T12:00:00+03:00",
                "channel": "telegram",
            },
            {
                "id": "a4",
                "kind": "email",
                "direction": "out",
                "user": "u1",
                "contact": "c2",
                "started_at": "2026-03-20T12:00:01+03:00",
            },
            {
                "id": "a5",
                "kind": "meeting",
                "user": "u1",
                "contact": "c1",
                "deal": "d1",
                "started_at": "2026-03-01T12:00:00+03:00",
            },
            {
                "id": "a6",
                "kind": "note",
                "user": "u1",
                "contact": "c1",
                "deal": "d1",
                "started_at": "2026-02-28T10:00:00+03:00",
            },
            {
                "id": "a7",
                "kind": "call",
                "direction": "in",
                "status": "answered",
                "duration_s": 60,
                "wait_s": 10,
                "user": "u1",
                "contact": "c3",
                "started_at": "2026-03-15T10:00:00+03:00",
            },
            {
                "id": "a8",
                "kind": "call",
                "direction": "out",
                "status": "missed",
                "user": "u1",
                "contact": "c1",
                "started_at": "2026-03-04T10:30:00+03:00",
            },
        ],
        "tasks": [
            {
                "id": "k1",
                "kind": "callback",
                "user": "u1",
                "contact": "c1",
                "created_at": "2026-03-04T09:00:00+03:00",
                "due_at": "2026-03-04T10:00:00+03:00",
            },
            {
                "id": "k2",
                "kind": "callback",
                "user": "u2",
                "deal": "d3",
                "created_at": "2026-03-21T09:00:00+03:00",
                "due_at": "2026-03-21T10:00:00+03:00",
                "completed_at": "2026-03-21T11:00:00+03:00",
            },
            {
                "id": "k3",
                "kind": "callback",
                "user": "u1",
                "contact": "c3",
                "created_at": "2026-03-30T09:00:00+03:00",
                "due_at": "2026-03-31T23:00:00+03:00",
            },
        ],
        "invoices": [{"id": "inv1", "deal": "d1", "amount": "1000.00", "issued_at": "2026-03-05T11:00:00+03:00"}],
        "payments": [
            {"id": "pay1", "invoice": "inv1", "amount": "600.00", "paid_at": "2026-03-06T11:00:00+03:00"},
            {"id": "pay2", "invoice": "inv1", "amount": "400.00", "paid_at": "2026-04-02T11:00:00+03:00"},
        ],
        "plans": [
            {"month": "2026-03", "metric": "revenue_won", "target": "2000.00", "user": "u1"},
            {"month": "2026-03", "metric": "deals_won", "target": "4", "team": "t1"},
            {"month": "2026-02", "metric": "calls_out", "target": "10", "user": "u2"},
        ],
        "ad_spend": [
            {"date": "2026-03-01", "source": "seo", "campaign": "x", "amount": "100.00"},
            {"date": "2026-03-02", "source": "seo", "amount": "50.00"},
            {"date": "2026-04-01", "source": "google_ads", "amount": "10.00"},
        ],
        "qa_reviews": [
            {
                "activity": "a2",
                "reviewer": "u3",
                "at": "2026-03-04T12:00:00+03:00",
                "scores": {"politeness": 4, "script": 3},
                "max": 5,
            },
            {
                "activity": "a7",
                "reviewer": "u3",
                "at": "2026-03-16T12:00:00+03:00",
                "scores": {"politeness": 5, "empathy": 2},
                "max": 5,
            },
        ],
    }
