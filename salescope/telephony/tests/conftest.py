from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from salescope.accounts.models import Team, User
from salescope.accounts.services import team_create, user_create
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal, Pipeline
from salescope.deals.services import deal_create, pipeline_create

KNOWN = "+79161234567"
UNKNOWN = "+79037654321"
LINE = "+74950000000"
T0 = dt.datetime(2026, 7, 3, 11, 2, 11, tzinfo=dt.UTC)  # 14:02:11 in Moscow


@pytest.fixture(autouse=True)
def fresh_lookups() -> Iterator[None]:
    """The per-process caches must not carry one test's department into the next (rollbacks send no signals)."""
    from salescope.telephony.lookups import lookups_clear

    lookups_clear()
    yield
    lookups_clear()


@pytest.fixture(autouse=True)
def huey_immediate() -> Iterator[None]:
    """Background tasks run inline. (The root conftest's HUEY_IMMEDIATE comes too late: pytest-django has
    already read the settings by then.)"""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    HUEY.flush()
    yield
    HUEY.immediate = before


@dataclass
class Department:
    team: Team
    ivanov: User  # extension 101
    petrova: User  # extension 102
    sidorov: User  # extension 103, another team
    pipeline: Pipeline
    client: Contact  # KNOWN, owned by ivanov
    deal: Deal  # the client's open deal


@pytest.fixture
def dept(db: None) -> Department:
    team = team_create(name="Moscow", ref="team-msk")
    other = team_create(name="Kazan", ref="team-kzn")
    ivanov = user_create(username="ivanov", name="Ivan Ivanov", team=team, phone_ext="101")
    petrova = user_create(username="petrova", name="Olga Petrova", team=team, phone_ext="102")
    sidorov = user_create(username="sidorov", name="Petr Sidorov", team=other, phone_ext="103")
    pipeline = pipeline_create(
        name="Sales",
        ref="p-sales",
        stages=[("s-new", "New", "open"), ("s-won", "Won", "won"), ("s-lost", "Lost", "lost")],
    )
    client = contact_create(name="Anna", owner=ivanov, phones=[KNOWN], created_at=T0 - dt.timedelta(days=30))
    deal = deal_create(
        contact=client,
        owner=ivanov,
        pipeline=pipeline,
        amount=Decimal("1000.00"),
        created_at=T0 - dt.timedelta(days=30),
    )
    return Department(team, ivanov, petrova, sidorov, pipeline, client, deal)


@dataclass
class FakeServer:
    """A real HTTP server on 127.0.0.1 answering from `routes`: path -> (status, body, content type)."""

    routes: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    base: str = ""


@pytest.fixture
def http_server() -> Iterator[FakeServer]:
    server_state = FakeServer()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            server_state.requests.append((self.command, self.path, dict(self.headers), body))
            status, payload, kind = server_state.routes.get(self.path.split("?")[0], (404, b"not found", "text/plain"))
            self.send_response(status)
            if status in (301, 302, 303):
                self.send_header("Location", payload.decode())
                payload = b""
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _answer
        do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()
