"""`childrenmatter serve`, as `make demo` and a deployment run it: gunicorn workers that
have imported every page and compiled every template before their first request."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_warm_workers_that_answer_the_sign_in_page(tmp_path: Path):
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "CHILDRENMATTER_DATA_DIR": str(tmp_path), "CHILDRENMATTER_DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "childrenmatter", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", "2"]
    with open(log, "w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while log.read_text().count("ready: pages imported, templates compiled") < 2:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=10) as page:
            assert page.status == 200
            assert "Sign in" in page.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
