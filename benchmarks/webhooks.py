"""Replay generic call webhooks through a real server and check that every call is stored exactly once.

    .venv/bin/python benchmarks/webhooks.py --events 100000

What it does: creates a PostgreSQL database of its own, migrates it, adds a small department (managers with
extensions, a pipeline, 1,000 known clients) and the generic integration with a signing secret, starts gunicorn
on 127.0.0.1, and sends the stream from several client processes at once. The stream is calls of two events
each (start, end) with 5 % deliberate duplicates, shuffled in small windows so events of one call arrive out
of order and concurrently. It prints sustained events/s and p50/p99 latency, then checks the database:
exactly one call activity per call id, one contact per new number, every event logged once. The database is
dropped at the end (unless --keep-db).

The server runs as `salescope run` runs it: DEBUG off, persistent database connections (CONN_MAX_AGE 60 s),
gunicorn accepting webhooks (a 200 means the event is verified, parsed and stored in the queue) and the call
queue worker (`salescope telephony_queue`) ingesting them in batches. By default 4 sync gunicorn workers (a new
connection per request); `--threads N` runs gthread workers that keep client connections alive. The clients run
on the same machine and share its cores. Two rates are printed: accepted (the HTTP endpoint) and processed
(from the first request until the queue is empty, i.e. every call is in the card index).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "benchmark-secret"
URL = "/hooks/telephony/generic/"
KNOWN_CLIENTS = 1000
NEW_NUMBERS = 4000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_admin(base_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def number(i: int) -> str:
    return f"+7903{i:07d}"


def build_stream(events: int, seed: int = 7) -> tuple[list[bytes], int]:
    """Bodies to send (in order) and the number of distinct calls among them."""
    rng = random.Random(seed)
    duplicates = events // 20
    calls = (events - duplicates) // 2
    duplicates = events - 2 * calls
    t0 = dt.datetime(2026, 7, 3, 6, 0, tzinfo=dt.UTC)
    stream: list[dict[str, object]] = []
    for i in range(calls):
        start = t0 + dt.timedelta(seconds=i * 2)
        inbound = rng.random() < 0.8
        if rng.random() < 0.5:
            client = number(rng.randrange(KNOWN_CLIENTS))
        else:
            client = number(KNOWN_CLIENTS + rng.randrange(NEW_NUMBERS))
        outcome = rng.choices(["answered", "missed", "busy", "failed"], [70, 20, 5, 5])[0]
        ext = str(101 + rng.randrange(4))
        base: dict[str, object] = {
            "call_id": f"bench-{i}",
            "direction": "in" if inbound else "out",
            "client": client,
            "line": "+74950000000",
            "extension": ext,
        }
        stream.append({**base, "event": "start", "started_at": start.isoformat()})
        end: dict[str, object] = {
            **base,
            "event": "end",
            "started_at": start.isoformat(),
            "outcome": outcome,
            "ended_at": (start + dt.timedelta(seconds=60)).isoformat(),
        }
        if outcome == "answered":
            end.update(answered_at=(start + dt.timedelta(seconds=7)).isoformat(), talk_s=53)
        stream.append(end)
    for block in range(0, len(stream), 40):  # out of order within small windows
        window = stream[block : block + 40]
        rng.shuffle(window)
        stream[block : block + 40] = window
    for _ in range(duplicates):  # retries: the same event again, a little later
        position = rng.randrange(len(stream))
        stream.insert(min(len(stream), position + rng.randrange(1, 200)), stream[position])
    return [json.dumps(item).encode() for item in stream], calls


def send(args: tuple[int, list[bytes]]) -> tuple[list[float], dict[int, int]]:
    port, bodies = args
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    conn: http.client.HTTPConnection | None = None
    for body in bodies:
        headers = {
            "Content-Type": "application/json",
            "X-Salescope-Signature": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
        }
        began = time.perf_counter()
        for attempt in range(3):
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", URL, body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                break
            except (ConnectionError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
                if attempt == 2:
                    status = 599
        latencies.append(time.perf_counter() - began)
        statuses[status] = statuses.get(status, 0) + 1
    return latencies, statuses


def sample_load(loads: list[float], done: threading.Event) -> None:
    """The 1-minute load average every 5 s while the stream is sent (other work on the machine shows here)."""
    while not done.wait(5):
        loads.append(os.getloadavg()[0])


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (Linux /proc), to tell our cost apart from a busy machine's."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def server_pids(master: int, db_name: str) -> tuple[list[int], list[int]]:
    """gunicorn (master and workers) and the PostgreSQL backends serving the benchmark database."""
    from django.db import connection

    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                workers.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [db_name])
        backends = [row[0] for row in cursor.fetchall()]
    return [master, *workers], backends


def setup_department() -> None:

    from salescope.accounts.services import team_create, user_create
    from salescope.contacts.models import Contact, ContactPhone
    from salescope.deals.services import pipeline_create
    from salescope.integrations.services import integration_configure

    team = team_create(name="Sales", ref="team-sales")
    for i in range(4):
        user_create(username=f"m{i}", name=f"Manager {i}", team=team, phone_ext=str(101 + i))
    pipeline_create(name="Sales", ref="p-sales", stages=[("s-new", "New", "open"), ("s-won", "Won", "won")])
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    contacts = Contact.objects.bulk_create(
        Contact(ref=f"c-{i}", name=f"Client {i}", created_at=now) for i in range(KNOWN_CLIENTS)
    )
    ContactPhone.objects.bulk_create(ContactPhone(contact=c, number=number(i)) for i, c in enumerate(contacts))
    integration_configure(
        "generic", secret=SECRET, lead_pipeline="p-sales", lead_owner="round_robin", lead_team="team-sales"
    )


def check(calls: int, events: int, new_numbers: set[str]) -> list[str]:
    from django.db.models import Count

    from salescope.activities.models import Activity
    from salescope.contacts.models import ContactPhone
    from salescope.integrations.models import Integration, RawEvent
    from salescope.telephony.models import Call

    problems = []
    activities = Activity.objects.filter(origin="telephony").count()
    stored_calls = Call.objects.count()
    print(f"stored: {activities} call activities, {stored_calls} calls (expected {calls})")
    if activities != calls or stored_calls != calls:
        problems.append(f"expected {calls} calls, found {activities} activities and {stored_calls} calls")
    doubled = ContactPhone.objects.values("number").annotate(n=Count("id")).filter(n__gt=1).count()
    created = ContactPhone.objects.filter(number__in=new_numbers).count()
    print(
        f"new clients: {created} contacts for {len(new_numbers)} new inbound numbers; numbers on 2+ contacts: {doubled}"
    )
    if doubled or created != len(new_numbers):
        problems.append("a new number became more or fewer than one contact")
    logged = RawEvent.objects.filter(integration="generic", status="ok").count()
    received = Integration.objects.get(key="generic").events_received
    print(f"raw events logged: {logged}, events counted: {received} (sent {events})")
    if logged != events or received != events:
        problems.append("not every event was logged exactly once")
    if Activity.objects.filter(origin="telephony", contact__isnull=True).exclude(direction="out").exists():
        problems.append("an inbound call without a client")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=6, help="concurrent client processes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per worker (gthread, keeps connections alive); 0: sync workers"
    )
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--db-name", default="", help="the benchmark database (default: salescope_bench_<pid>)")
    args = parser.parse_args()

    db_name = args.db_name or f"salescope_bench_{os.getpid()}"
    db_url = f"{args.pg.rstrip('/')}/{db_name}"
    data_dir = tempfile.mkdtemp(prefix="salescope-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SALESCOPE_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "salescope.config.settings",
        "SECRET_KEY": "benchmark",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "HUEY_IMMEDIATE": "false",
    }
    os.environ.update(env)
    pg_admin(f"{args.pg.rstrip('/')}/postgres", f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    pg_admin(f"{args.pg.rstrip('/')}/postgres", f'CREATE DATABASE "{db_name}"')
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([str(BIN / "salescope"), "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
        import django

        django.setup()
        setup_department()
        from django.db import connections

        connections.close_all()

        print(f"building a stream of {args.events} webhooks…", flush=True)
        bodies, calls = build_stream(args.events)
        new_numbers = {
            json.loads(b)["client"]
            for b in bodies
            if json.loads(b)["direction"] == "in" and int(json.loads(b)["client"][5:]) >= KNOWN_CLIENTS
        }
        port = free_port()
        threaded = ["--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "30"]
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "salescope.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
                "--backlog",
                "2048",
                *(threaded if args.threads else []),
            ],
            env=env,
            cwd=ROOT,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        worker = subprocess.Popen([str(BIN / "salescope"), "telephony_queue"], env=env, cwd=ROOT)
        send((port, [bodies[0]]))  # warm up one worker (the first event is sent again below: a retry)
        chunks = [(port, bodies[i :: args.clients]) for i in range(args.clients)]
        print(
            f"sending {len(bodies)} webhooks ({calls} calls, {len(bodies) - 2 * calls} duplicates) from "
            f"{args.clients} clients to gunicorn with {args.workers} workers…",
            flush=True,
        )
        from salescope.telephony.queue import queued_count

        while queued_count():  # the warm-up event
            time.sleep(0.1)
        web, backends = server_pids(server.pid, db_name)
        web.append(worker.pid)
        web_before, db_before = cpu_seconds(web), cpu_seconds(backends)
        loads: list[float] = []
        sampling = threading.Event()
        sampler = threading.Thread(target=sample_load, args=(loads, sampling), daemon=True)
        sampler.start()
        began = time.perf_counter()
        with multiprocessing.Pool(args.clients) as pool:
            results = pool.map(send, chunks)
        elapsed = time.perf_counter() - began
        backlog = queued_count()
        while queued_count():
            time.sleep(0.05)
        drained = time.perf_counter() - began
        sampling.set()
        _, backends_after = server_pids(server.pid, db_name)
        new_backends = sorted(set(backends_after) - set(backends))
        web_cpu = cpu_seconds(web) - web_before
        db_cpu = cpu_seconds(backends) - db_before + cpu_seconds(new_backends)
        server_cpu = web_cpu + db_cpu
        connections.close_all()
        server.terminate()  # a graceful stop: workers write the event counts they still hold
        server.wait(timeout=30)
        server = None
        worker.terminate()
        worker.wait(timeout=30)
        worker = None
        latencies = sorted(x for lat, _ in results for x in lat)
        statuses: dict[int, int] = {}
        for _, counts in results:
            for status, n in counts.items():
                statuses[status] = statuses.get(status, 0) + n
        p99 = latencies[max(0, -(-99 * len(latencies) // 100) - 1)]
        print(f"accepted: {len(bodies) / elapsed:.0f} events/s over {elapsed:.1f} s (queue left: {backlog})")
        print(f"processed (sustained, end to end): {len(bodies) / drained:.0f} events/s over {drained:.1f} s")
        print(
            f"response latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
            f"max {latencies[-1] * 1000:.1f} ms"
        )
        print(f"responses: {dict(sorted(statuses.items()))}")
        per_event = server_cpu / len(bodies)
        print(
            f"CPU per event: gunicorn and queue worker {web_cpu / len(bodies) * 1000:.1f} ms, "
            f"PostgreSQL {db_cpu / len(bodies) * 1000:.1f} ms"
        )
        print(
            f"server CPU (gunicorn + queue worker + PostgreSQL backends): {per_event * 1000:.1f} ms per event; "
            f"machine load average during the run {statistics.mean(loads or [os.getloadavg()[0]]):.1f} "
            f"(max {max(loads or [0.0]):.1f}) on {os.cpu_count()} cores"
        )
        if per_event:
            print(f"capacity estimate on 2 otherwise idle cores: {2 / per_event:.0f} events/s")
        problems = [] if statuses == {200: len(bodies)} else [f"not every response was 200: {statuses}"]
        problems += check(calls, len(bodies) + 1, new_numbers)
        connections.close_all()
        print("CHECK OK: every call stored exactly once" if not problems else "CHECK FAILED: " + "; ".join(problems))
        return 1 if problems else 0
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if not args.keep_db:
            pg_admin(f"{args.pg.rstrip('/')}/postgres", f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
