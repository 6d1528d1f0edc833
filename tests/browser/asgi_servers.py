"""Real ASGI servers for the live-update browser tests: uvicorn subprocesses, as `make run`
and production serve the app, on the test database (the test's data committed:
transactional tests) and this test process's Redis keys, so several of them share the
live events as the web processes of one installation do."""

from __future__ import annotations

import contextlib
import http.client
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REDIS_KEY_PREFIX
from tests.faults.processes import ROOT, app_env, free_port


def _log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class AsgiServer:
    """One uvicorn process; stop() and start() again keep its port, as a restart does."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        self.name = name
        self.port = free_port()
        self.log = tmp_path / f"{name}.log"
        self.env = app_env(
            tmp_path,
            # Development mode: the server serves the static files (messagecenter/asgi.py).
            DEBUG="true",
            # Email is sent in the request, not queued in Redis for a worker nobody runs.
            CELERY_TASK_ALWAYS_EAGER="true",
            LIVE_KEY_PREFIX=f"{REDIS_KEY_PREFIX}mc-live",
            LOG_LEVEL="INFO",
        )
        self._process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "messagecenter.asgi:application",
            "--host=127.0.0.1",
            f"--port={self.port}",
            "--workers=1",
            "--timeout-graceful-shutdown=1",
        ]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_serving()

    def _wait_until_serving(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{_log_tail(self.log)}")
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status in (200, 503):
                    return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer in {timeout} s:\n{_log_tail(self.log)}")

    def stop(self) -> None:
        """Kill it as a crash would: its sockets drop without a closing handshake."""
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=10)
        self._process = None

    def log_text(self) -> str:
        return _log_tail(self.log, 200)
