"""A stand-in for the Telegram Bot API (a real HTTP server on 127.0.0.1) and a small sales department."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from salescope.accounts.models import User
from salescope.accounts.services import user_create
from salescope.deals.models import Pipeline
from salescope.deals.services import pipeline_create
from salescope.integrations.services import integration_configure

TOKEN = "123456:TEST-token"
SECRET = "s3cret_Token-1"


@dataclass
class BotApi:
    url: str
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    replies: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # served in order, then defaults
    next_message_id: int = 900

    def reply_for(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.replies:
            return self.replies.pop(0)
        self.next_message_id += 1
        message = {
            "message_id": self.next_message_id,
            "date": 1772431200,
            "chat": {"id": body.get("chat_id")},
            "text": body.get("text"),
        }
        return 200, {"ok": True, "result": message}


@pytest.fixture
def bot_api() -> Iterator[BotApi]:
    state = BotApi(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append((self.path, body))
            status, answer = state.reply_for(body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class Sales:
    manager: User
    other: User
    pipeline: Pipeline


@pytest.fixture
def sales(db: None) -> Sales:
    pipeline = pipeline_create(
        name="Sales", ref="main", stages=[("new", "New", "open"), ("won", "Won", "won"), ("lost", "Lost", "lost")]
    )
    manager = user_create(username="kolya", name="Kolya")
    other = user_create(username="vasya", name="Vasya")
    return Sales(manager=manager, other=other, pipeline=pipeline)


@pytest.fixture
def telegram(sales: Sales, bot_api: BotApi) -> BotApi:
    integration_configure("telegram", token=TOKEN, secret_token=SECRET, api_base=bot_api.url, owner_ref="kolya")
    return bot_api
