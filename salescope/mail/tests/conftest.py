"""Real mail servers for the tests: Dovecot (IMAP) started from a config in a temp dir, aiosmtpd (SMTP)."""

from __future__ import annotations

import grp
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from imapclient import IMAPClient

from salescope.accounts.models import User
from salescope.accounts.services import user_create
from salescope.deals.services import pipeline_create

PASSWORD = "pw-for-tests"
USERS = 500  # one fresh mailbox per test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited with {process.returncode}: {log.read_text() if log.exists() else ''}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on port {port} within 10 s")


def _accounts() -> tuple[str, str, str, int, int]:
    """(login user, internal user, its group, mail uid, mail gid): dovecot's own users as root, else ourselves."""
    if os.geteuid() == 0:
        internal = pwd.getpwnam("dovecot")
        return "dovenull", "dovecot", grp.getgrgid(internal.pw_gid).gr_name, internal.pw_uid, internal.pw_gid
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_name, grp.getgrgid(me.pw_gid).gr_name, me.pw_uid, me.pw_gid


@dataclass
class Dovecot:
    port: int
    passwd: Path
    users: itertools.count = field(default_factory=lambda: itertools.count(1))

    def new_mailbox(self) -> dict[str, Any]:
        """A user not used before (and so an empty INBOX)."""
        number = next(self.users)
        if number > USERS:
            raise RuntimeError(f"the test dovecot has only {USERS} users")
        name = f"crm{number}"
        return {
            "imap_host": "127.0.0.1",
            "imap_port": self.port,
            "imap_security": "none",
            "imap_username": name,
            "imap_password": PASSWORD,
        }


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
    if binary is None:
        reason = "dovecot is not installed (apt-get install -y dovecot-imapd): the IMAP tests need a real server"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="salescope-dovecot-"))
    root.chmod(0o755)  # dovecot's unprivileged login processes must reach the sockets in base_dir
    login_user, internal_user, internal_group, uid, gid = _accounts()
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        os.chown(root / sub, uid, gid)
    passwd = root / "passwd"
    passwd.write_text("".join(f"crm{n}:{{PLAIN}}{PASSWORD}\n" for n in range(1, USERS + 1)))
    passwd.chmod(0o644)
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = {min(uid, 500)}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process, root / "dovecot.log")
        yield Dovecot(port=port, passwd=passwd)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)


def append(config: dict[str, Any], *letters: bytes, folder: str = "INBOX") -> None:
    """Deliver letters the way a mail server would leave them: IMAP APPEND as the mailbox's user."""
    with IMAPClient("127.0.0.1", port=config["imap_port"], ssl=False, timeout=10) as client:
        client.login(config["imap_username"], config["imap_password"])
        for letter in letters:
            client.append(folder, letter)


def letter(
    message_id: str | None,
    sender: str = "Anna Petrova <anna@example.ru>",
    subject: str = "Quote",
    body: str = "Please send a quote.",
    in_reply_to: str = "",
    references: str = "",
    date: str = "Mon, 02 Mar 2026 09:15:00 +0300",
) -> bytes:
    headers = [f"From: {sender}", "To: sales@salescope.test", f"Subject: {subject}", f"Date: {date}"]
    if message_id:
        headers.append(f"Message-ID: {message_id}")
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    headers += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


class _Collector:
    def __init__(self) -> None:
        self.letters: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.letters.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    letters: list[Received]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    collector = _Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port=port, letters=collector.letters)
    finally:
        controller.stop()


@pytest.fixture
def manager(db: None) -> User:
    pipeline_create(name="Sales", ref="main", stages=[("new", "New", "open"), ("won", "Won", "won")])
    return user_create(username="kolya", name="Kolya")
