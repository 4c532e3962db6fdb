"""Bundle import/export benchmark: ~50,000 activities into a fresh SQLite file and a fresh PostgreSQL database.

    .venv/bin/python benchmarks/bundle_roundtrip.py [--activities 50000] [--seed 7] [--pg postgres://postgres@127.0.0.1:5432]

For each database a subprocess imports the generated bundle (wall time and peak RSS of that process),
exports it, re-imports the export (which must change nothing) and compares the exported records with
the generated ones as sets. Goals: import under 60 s and under 500 MB peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_SECONDS = 60.0
GOAL_MB = 500.0
MSK = dt.timezone(dt.timedelta(hours=3))
STAGES = [("new", "open"), ("qualified", "open"), ("proposal", "open"), ("won", "won"), ("lost", "lost")]
SOURCES = ["yandex_direct", "google_ads", "seo", "referral", "cold"]


# --------------------------------------------------------------------------- generation


def _t(value: dt.datetime) -> str:
    return value.isoformat()


def _phone(rng: random.Random) -> str:
    digits = f"9{rng.randrange(10**9):09d}"
    if rng.random() < 0.5:
        return f"+7{digits}"
    return f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}"


def generate(directory: Path, activities: int, seed: int) -> dict[str, int]:
    """Write a department's bundle with about `activities` activities; return records per file."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, 9, 0, tzinfo=MSK)
    span = 365 * 24 * 3600
    files: dict[str, list[dict[str, Any]]] = {}
    teams = [{"id": f"team{i}", "name": f"Team {i}"} for i in range(4)]
    users = [{"id": "admin", "name": "Admin", "role": "admin"}]
    users += [{"id": f"head{i}", "name": f"Head {i}", "role": "head", "team": f"team{i}"} for i in range(4)]
    managers = [f"m{i}" for i in range(40)]
    users += [
        {"id": m, "name": f"Manager {i}", "role": "manager", "team": f"team{i % 4}", "phone_ext": str(100 + i)}
        for i, m in enumerate(managers)
    ]
    pipeline = {"id": "sales", "name": "Sales", "stages": [{"id": s, "name": s.title(), "kind": k} for s, k in STAGES]}
    products = [
        {"id": f"p{i}", "name": f"Product {i}", "price": f"{rng.randrange(1, 500) * 100}.00"} for i in range(20)
    ]
    n_contacts, n_deals = activities // 4, activities // 8
    contacts, contact_times = [], []
    for i in range(n_contacts):
        created = start + dt.timedelta(seconds=rng.randrange(span))
        contact_times.append(created)
        record: dict[str, Any] = {"id": f"c{i}", "name": f"Client {i}", "created_at": _t(created)}
        record["owner"] = rng.choice(managers)
        record["phones"] = [_phone(rng) for _ in range(rng.choice((1, 1, 2)))]
        if rng.random() < 0.5:
            record["emails"] = [f"client{i}@example.com"]
        source = rng.choice(SOURCES)
        record["source"] = source
        if source in ("yandex_direct", "google_ads"):
            record["campaign"] = f"campaign-{rng.randrange(10)}"
            record["utm"] = {"utm_source": source, "utm_medium": "cpc"}
        contacts.append(record)
    deals, changes, deal_info = [], [], []
    for i in range(n_deals):
        contact = rng.randrange(n_contacts)
        owner = contacts[contact]["owner"]
        created = contact_times[contact] + dt.timedelta(minutes=rng.randrange(10, 5000))
        lines = [(rng.randrange(20), rng.randrange(1, 5)) for _ in range(rng.randrange(0, 3))]
        items = [{"product": f"p{p}", "quantity": q, "price": products[p]["price"]} for p, q in lines]
        amount = sum(int(products[p]["price"][:-3]) * q for p, q in lines) if lines else rng.randrange(1, 900) * 1000
        deal = {"id": f"d{i}", "contact": f"c{contact}", "owner": owner, "pipeline": "sales", "created_at": _t(created)}
        deal["amount"] = f"{amount}.00"
        if items:
            deal["items"] = items
        at = created
        path = ["new"] + [s for s in ("qualified", "proposal") if rng.random() < 0.6]
        roll = rng.random()
        if roll < 0.35:
            path.append("won")
        elif roll < 0.7:
            path.append("lost")
            deal["loss_reason"] = rng.choice(["price", "competitor", "no answer"])
        for number, stage in enumerate(path):
            if number:
                at += dt.timedelta(minutes=rng.randrange(30, 20000))
            changes.append({"deal": f"d{i}", "to_stage": stage, "at": _t(at), "by": owner})
        deals.append(deal)
        deal_info.append((f"c{contact}", owner, created))
    acts = []
    for i in range(activities):
        kind = rng.choices(["call", "email", "message", "meeting", "proposal", "note"], [60, 15, 10, 5, 5, 5])[0]
        when = start + dt.timedelta(seconds=rng.randrange(span))
        record = {"id": f"a{i}", "kind": kind, "started_at": _t(when)}
        if rng.random() < 0.5 and deal_info:
            number = rng.randrange(n_deals)
            contact_ref, owner, _ = deal_info[number]
            record.update(user=owner, contact=contact_ref, deal=f"d{number}")
        else:
            record.update(user=rng.choice(managers), contact=f"c{rng.randrange(n_contacts)}")
        if kind == "call":
            direction = rng.choice(("in", "out"))
            answered = rng.random() < 0.7
            record.update(direction=direction, status="answered" if answered else "missed")
            record.update(channel="phone", origin="telephony", external_id=f"pbx-{i}")
            if answered:
                record["duration_s"] = rng.randrange(5, 1200)
                record["recording_url"] = f"https://pbx.example.com/rec/{i}.mp3"
            if direction == "in":
                record["wait_s"] = rng.randrange(0, 90)
                if not answered and rng.random() < 0.3:
                    del record["user"]
        elif kind in ("email", "message"):
            record["direction"] = rng.choice(("in", "out"))
            record["channel"] = "email" if kind == "email" else rng.choice(("telegram", "whatsapp"))
            record["origin"] = "mail" if kind == "email" else "messenger"
        else:
            record["origin"] = "manual"
        acts.append(record)
    tasks = []
    for i in range(activities // 6):
        created = start + dt.timedelta(seconds=rng.randrange(span))
        task = {
            "id": f"k{i}",
            "kind": rng.choice(("callback", "call", "meeting", "todo")),
            "user": rng.choice(managers),
        }
        task.update(created_at=_t(created), due_at=_t(created + dt.timedelta(hours=rng.randrange(1, 96))))
        task["contact"] = f"c{rng.randrange(n_contacts)}"
        if rng.random() < 0.6:
            task["completed_at"] = _t(created + dt.timedelta(hours=rng.randrange(1, 120)))
        tasks.append(task)
    invoices, payments = [], []
    for i, deal in enumerate(deals[: n_deals // 3]):
        issued = dt.datetime.fromisoformat(deal["created_at"]) + dt.timedelta(days=rng.randrange(1, 30))
        invoices.append({"id": f"inv{i}", "deal": deal["id"], "amount": deal["amount"], "issued_at": _t(issued)})
        if rng.random() < 0.7:
            paid = issued + dt.timedelta(days=rng.randrange(0, 20))
            payments.append({"id": f"pay{i}", "invoice": f"inv{i}", "amount": deal["amount"], "paid_at": _t(paid)})
    plans = [
        {"month": f"2025-{month:02d}", "metric": metric, "target": f"{rng.randrange(10, 100) * 1000}.00", "user": m}
        for month in range(1, 13)
        for m in managers
        for metric in ("revenue_won", "calls_out")
    ]
    ad_spend = [
        {
            "date": (start.date() + dt.timedelta(days=d)).isoformat(),
            "source": s,
            "amount": f"{rng.randrange(100, 9999)}.50",
        }
        for d in range(365)
        for s in ("yandex_direct", "google_ads")
    ]
    calls = [a for a in acts if a["kind"] == "call" and a.get("status") == "answered"]
    reviews = [
        {
            "activity": a["id"],
            "reviewer": f"head{rng.randrange(4)}",
            "at": _t(dt.datetime.fromisoformat(a["started_at"]) + dt.timedelta(days=1)),
            "scores": {"greeting": rng.randrange(0, 3), "needs": rng.randrange(0, 3), "closing": rng.randrange(0, 3)},
            "max": 2,
        }
        for a in rng.sample(calls, min(1000, len(calls)))
    ]
    files = {
        "teams": teams,
        "users": users,
        "pipelines": [pipeline],
        "products": products,
        "contacts": contacts,
        "deals": deals,
        "stage_changes": changes,
        "activities": acts,
        "tasks": tasks,
        "invoices": invoices,
        "payments": payments,
        "plans": plans,
        "ad_spend": ad_spend,
        "qa_reviews": reviews,
    }
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {"format": "salescope-bundle", "version": 1, "timezone": "Europe/Moscow", "currency": "RUB"}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    for kind, records in files.items():
        with open(directory / f"{kind}.jsonl", "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {f"{kind}.jsonl": len(records) for kind, records in files.items()}


# --------------------------------------------------------------------------- worker (one database)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def worker(bundle: Path, workdir: Path) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salescope.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from salescope.bundle.compare import bundle_differences
    from salescope.bundle.exporter import export_bundle
    from salescope.bundle.importer import import_bundle

    figures: dict[str, Any] = {"rss_before_import_mb": _peak_mb()}
    began, cpu = time.perf_counter(), time.process_time()
    result = import_bundle(bundle)
    figures["import_s"] = time.perf_counter() - began
    figures["import_cpu_s"] = time.process_time() - cpu
    figures["import_peak_rss_mb"] = _peak_mb()
    figures["created"] = sum(c.created for c in result.counts.values())
    figures["warnings"] = len(result.warnings)
    began = time.perf_counter()
    written = export_bundle(workdir / "export")
    figures["export_s"] = time.perf_counter() - began
    figures["exported"] = sum(written.values())
    began = time.perf_counter()
    again = import_bundle(workdir / "export")
    figures["reimport_s"] = time.perf_counter() - began
    figures["reimport_changes"] = again.changed
    figures["reimport_unchanged"] = sum(c.unchanged for c in again.counts.values())
    began = time.perf_counter()
    figures["differences"] = bundle_differences(bundle, workdir / "export")
    figures["compare_s"] = time.perf_counter() - began
    figures["final_peak_rss_mb"] = _peak_mb()
    return figures


# --------------------------------------------------------------------------- driver


def _run_worker(name: str, database_url: str, bundle: Path, workdir: Path) -> dict[str, Any]:
    env = dict(os.environ, DATABASE_URL=database_url, SALESCOPE_DATA_DIR=str(workdir / "data"))
    command = [sys.executable, __file__, "--worker", str(bundle), str(workdir)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"{name}: the worker failed (exit {completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _pg_admin(base_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _report(name: str, figures: dict[str, Any]) -> bool:
    fast = figures["import_s"] < GOAL_SECONDS
    small = figures["import_peak_rss_mb"] < GOAL_MB
    same = not figures["differences"] and figures["reimport_changes"] == 0
    mark = {True: "OK  ", False: "FAIL"}
    print(f"\n{name}")
    print(
        f"  {mark[fast]} import           {figures['import_s']:7.1f} s     (goal < {GOAL_SECONDS:.0f} s; "
        f"{figures['import_cpu_s']:.1f} s CPU in the importing process, load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  {mark[small]} import peak RSS  {figures['import_peak_rss_mb']:7.0f} MB    (goal < {GOAL_MB:.0f} MB; "
        f"{figures['rss_before_import_mb']:.0f} MB before the import)"
    )
    print(f"       export           {figures['export_s']:7.1f} s     ({figures['exported']} records)")
    print(
        f"  {mark[figures['reimport_changes'] == 0]} re-import export {figures['reimport_s']:7.1f} s     "
        f"({figures['reimport_changes']} changes, {figures['reimport_unchanged']} unchanged)"
    )
    print(
        f"  {mark[not figures['differences']]} export == bundle as record sets: "
        f"{'yes' if not figures['differences'] else figures['differences']}"
    )
    return fast and small and same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--pg-database", default="h_bundle_bench")  # not shared with other benchmarks
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--worker", nargs=2, metavar=("BUNDLE", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(Path(args.worker[0]), Path(args.worker[1]))))
        return

    root = Path(tempfile.mkdtemp(prefix="salescope-bench-"))
    try:
        began = time.perf_counter()
        sizes = generate(root / "bundle", args.activities, args.seed)
        total = sum(sizes.values())
        print(f"Generated {total} records in {time.perf_counter() - began:.1f} s (seed {args.seed}):")
        print("  " + ", ".join(f"{name.removesuffix('.jsonl')} {n}" for name, n in sizes.items()))
        ok = True
        sqlite_dir = root / "sqlite"
        sqlite_dir.mkdir()
        figures = _run_worker("SQLite", f"sqlite:///{sqlite_dir / 'bench.sqlite3'}", root / "bundle", sqlite_dir)
        ok &= _report("SQLite (fresh file)", figures)
        if not args.skip_pg:
            name = args.pg_database
            _pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{name}"')
            _pg_admin(args.pg, f'CREATE DATABASE "{name}"')
            try:
                pg_dir = root / "pg"
                pg_dir.mkdir()
                figures = _run_worker("PostgreSQL", f"{args.pg}/{name}", root / "bundle", pg_dir)
                ok &= _report(f"PostgreSQL (fresh database {name})", figures)
            finally:
                _pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{name}"')
        print("\nAll goals met." if ok else "\nSome goals were NOT met.")
        if not ok:
            raise SystemExit(1)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
