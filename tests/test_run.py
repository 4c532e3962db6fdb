"""`salescope run` really serves: gunicorn answers and the Huey consumer starts."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SALESCOPE = str(Path(sys.executable).with_name("salescope"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.skipif(not Path(SALESCOPE).exists(), reason="the console script is not installed")
def test_run_serves_the_login_page_and_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SALESCOPE_DATA_DIR=str(tmp_path), HUEY_IMMEDIATE="0")
    process = subprocess.Popen(
        [SALESCOPE, "run", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status, body = 0, ""
        while time.monotonic() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/login/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # not up yet, or slow on a busy machine
                time.sleep(0.3)
        assert status == 200, body[:500]
        assert 'name="password"' in body
        static_status, _ = _get(f"http://127.0.0.1:{port}/static/admin/css/base.css")
        assert static_status == 200
        assert (tmp_path / "salescope.sqlite3").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert process.returncode == 0, output
