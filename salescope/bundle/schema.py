"""The bundle's files and fields, as bundle.md lists them (required fields first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import fields as f

MANIFEST = "manifest.json"
FORMAT = "salescope-bundle"
VERSION = 1


@dataclass(frozen=True)
class Field:
    name: str
    parse: f.Parser
    required: bool = False
    target: str | None = None  # the file (without .jsonl) a reference points to
    default: Any = None
    max_length: int | None = None  # of a string value, as the database stores it


def req(name: str, parse: f.Parser, target: str | None = None, max_length: int | None = 200) -> Field:
    return Field(name, parse, required=True, target=target, max_length=max_length)


def opt(
    name: str, parse: f.Parser, target: str | None = None, default: Any = None, max_length: int | None = 200
) -> Field:
    return Field(name, parse, required=False, target=target, default=default, max_length=max_length)


ACTIVITY_KINDS = ("call", "email", "message", "meeting", "proposal", "note")
PLAN_METRICS = ("revenue_won", "deals_won", "calls_out", "paid")

SCHEMA: dict[str, tuple[Field, ...]] = {
    "teams": (req("id", f.ref), req("name", f.ref)),
    "users": (
        req("id", f.ref, max_length=150),
        req("name", f.ref),
        req("role", f.choice("manager", "head", "admin")),
        opt("team", f.ref, "teams"),
        opt("email", f.text, default="", max_length=254),
        opt("phone_ext", f.text, default="", max_length=20),
        opt("active", f.boolean, default=True),
    ),
    "pipelines": (req("id", f.ref), req("name", f.ref), req("stages", f.stages)),
    "products": (req("id", f.ref), req("name", f.ref, max_length=300), opt("price", f.money)),
    "contacts": (
        req("id", f.ref),
        req("name", f.ref, max_length=300),
        req("created_at", f.instant),
        opt("owner", f.ref, "users"),
        opt("company", f.text, default="", max_length=300),
        opt("phones", f.phones, default=[]),
        opt("emails", f.emails, default=[]),
        opt("source", f.text, default="", max_length=100),
        opt("campaign", f.text, default="", max_length=300),
        opt("utm", f.utm, default={}),
        opt("ga_client_id", f.text, default="", max_length=100),
        opt("ym_client_id", f.text, default="", max_length=100),
    ),
    "deals": (
        req("id", f.ref),
        req("contact", f.ref, "contacts"),
        req("owner", f.ref, "users"),
        req("pipeline", f.ref, "pipelines"),
        req("created_at", f.instant),
        req("amount", f.money),
        opt("title", f.text, default="", max_length=300),
        opt("items", f.items, default=()),
        opt("loss_reason", f.text, default="", max_length=300),
    ),
    "stage_changes": (
        req("deal", f.ref, "deals"),
        req("to_stage", f.ref, "stages"),
        req("at", f.instant),
        opt("by", f.ref, "users"),
    ),
    "activities": (
        req("id", f.ref),
        req("kind", f.choice(*ACTIVITY_KINDS)),
        req("started_at", f.instant),
        opt("user", f.ref, "users"),
        opt("contact", f.ref, "contacts"),
        opt("deal", f.ref, "deals"),
        opt("direction", f.choice("in", "out"), default=""),
        opt("status", f.choice("answered", "missed"), default=""),
        opt("duration_s", f.nonneg_int),
        opt("wait_s", f.nonneg_int),
        opt("channel", f.text, default="", max_length=50),
        opt("origin", f.choice("telephony", "mail", "messenger", "manual", "import"), default=""),
        opt("external_id", f.text, default=""),
        opt("recording_url", f.text, default="", max_length=1000),
        opt("transcript", f.text, default="", max_length=None),
    ),
    "tasks": (
        req("id", f.ref),
        req("kind", f.choice("callback", "call", "meeting", "todo")),
        req("user", f.ref, "users"),
        req("created_at", f.instant),
        req("due_at", f.instant),
        opt("contact", f.ref, "contacts"),
        opt("deal", f.ref, "deals"),
        opt("completed_at", f.instant),
        opt("note", f.text, default="", max_length=None),
    ),
    "invoices": (req("id", f.ref), req("deal", f.ref, "deals"), req("amount", f.money), req("issued_at", f.instant)),
    "payments": (
        req("id", f.ref),
        req("invoice", f.ref, "invoices"),
        req("amount", f.money),
        req("paid_at", f.instant),
    ),
    "plans": (
        req("month", f.month),
        req("metric", f.choice(*PLAN_METRICS)),
        req("target", f.money),
        opt("user", f.ref, "users"),
        opt("team", f.ref, "teams"),
    ),
    "ad_spend": (
        req("date", f.date),
        req("source", f.ref, max_length=100),
        req("amount", f.money),
        opt("campaign", f.text, default="", max_length=300),
    ),
    "qa_reviews": (
        req("activity", f.ref, "activities"),
        req("reviewer", f.ref, "users"),
        req("at", f.instant),
        req("scores", f.raw),
        req("max", f.raw),
    ),
}

# Natural keys of the files without an `id` (times compare as instants).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "stage_changes": ("deal", "at", "to_stage"),
    "plans": ("month", "metric", "user", "team"),
    "ad_spend": ("date", "source", "campaign"),
    "qa_reviews": ("activity", "reviewer", "at"),
}

KINDS: tuple[str, ...] = tuple(SCHEMA)


def file_name(kind: str) -> str:
    return f"{kind}.jsonl"


FILE_NAMES: tuple[str, ...] = tuple(file_name(k) for k in KINDS)
