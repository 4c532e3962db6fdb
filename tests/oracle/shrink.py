"""Shrink a generated bundle on which the engine and the reference disagree to a minimal example (by hand).

    .venv/bin/python -m tests.oracle.shrink SEED [SIZE] [--metric NAME]

Runs on a throw-away SQLite instance. Finds the first (period, as_of) where the two disagree (on metric NAME if
given), then greedily deletes records (with whatever points at them) while a disagreement on that metric stays,
and prints the minimal records, the query and the differences.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
from typing import Any

REFERENCES = {
    # kind -> [(field, kind it points to)]
    "users": [("team", "teams")],
    "contacts": [("owner", "users")],
    "deals": [("contact", "contacts"), ("owner", "users"), ("pipeline", "pipelines")],
    "stage_changes": [("deal", "deals"), ("by", "users")],
    "activities": [("user", "users"), ("contact", "contacts"), ("deal", "deals")],
    "tasks": [("user", "users"), ("contact", "contacts"), ("deal", "deals")],
    "invoices": [("deal", "deals")],
    "payments": [("invoice", "invoices")],
    "plans": [("user", "users"), ("team", "teams")],
    "qa_reviews": [("activity", "activities"), ("reviewer", "users")],
}
SHRINK_ORDER = [
    "qa_reviews",
    "payments",
    "invoices",
    "plans",
    "ad_spend",
    "tasks",
    "activities",
    "stage_changes",
    "deals",
    "contacts",
    "products",
    "users",
    "teams",
    "pipelines",
]


def without(records: dict[str, list[dict[str, Any]]], kind: str, index: int) -> dict[str, list[dict[str, Any]]]:
    """`records` minus one record and, transitively, every record pointing at it."""
    result = copy.deepcopy(records)
    removed = {(kind, result[kind][index].get("id"))}
    del result[kind][index]
    changed = True
    while changed:
        changed = False
        for other, links in REFERENCES.items():
            kept = []
            for row in result.get(other, []):
                if any((target, row.get(field)) in removed for field, target in links if row.get(field)):
                    removed.add((other, row.get("id")))
                    changed = True
                else:
                    kept.append(row)
            result[other] = kept
        for deal in result.get("deals", []):
            if deal.get("items") and any(("products", item["product"]) in removed for item in deal["items"]):
                deal.pop("items")
    # a deal needs its first stage change: drop deals that lost it
    first_changes = {c["deal"] for c in result.get("stage_changes", [])}
    if any(d["id"] not in first_changes for d in result.get("deals", [])):
        return records
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seed", type=int)
    parser.add_argument("size", type=int, nargs="?", default=1)
    parser.add_argument("--metric", default=None, help="keep a disagreement on this key (default: the first one)")
    options = parser.parse_args(argv)

    os.environ.setdefault("SALESCOPE_DATA_DIR", tempfile.mkdtemp(prefix="oracle-shrink-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salescope.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from tests.oracle.generate import GeneratedBundle, generate_bundle
    from tests.oracle.harness import compare_bundle, default_queries

    bundle = generate_bundle(options.seed, size=options.size)

    def key_of(line: str) -> str:
        path = line.split(":", 1)[0]
        return path.rsplit(".", 1)[-1]

    def failing(records: dict[str, list[dict[str, Any]]], queries: list[Any], metric: str | None) -> Any:
        trial = GeneratedBundle(bundle.seed, bundle.timezone, bundle.base_month, records)
        try:
            mismatches = compare_bundle(trial, queries, limit=200)
        except Exception:  # an invalid shrunk bundle is simply not a candidate
            return None
        for mismatch in mismatches:
            lines = [d for d in mismatch.diffs if metric is None or key_of(d) == metric or f".{metric}" in d]
            if lines:
                return mismatch, lines
        return None

    found = None
    query: list[Any] = []
    for candidate_query in default_queries(bundle):
        query = [candidate_query]
        found = failing(bundle.records, query, options.metric)
        if found:
            break
    if not found:
        print("no disagreement")
        return 0
    metric = options.metric or key_of(found[1][0])
    records = bundle.records
    progress = True
    while progress:
        progress = False
        for kind in SHRINK_ORDER:
            index = len(records.get(kind, [])) - 1
            while index >= 0:
                candidate = without(records, kind, index)
                if candidate is not records and failing(candidate, query, metric):
                    records = candidate
                    progress = True
                index = min(index - 1, len(records.get(kind, [])) - 1)
    mismatch, lines = failing(records, query, metric)
    print(json.dumps({"timezone": bundle.timezone, "query": str(mismatch.where)}, indent=1))
    print(json.dumps({k: v for k, v in records.items() if v}, indent=1, ensure_ascii=False))
    print("\n".join(lines))
    return 1


if __name__ == "__main__":
    sys.exit(main())
