"""The app's real processes for the fault tests: a gunicorn web server and a Celery worker,
each a subprocess talking to the test database and Redis (through proxies when given),
so a test can cut their connections or kill them with SIGKILL."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_address() -> tuple[str, int, int]:
    """Host, port and database number of the Redis the tests use."""
    url = urlsplit(settings.REDIS_URL)
    return url.hostname or "127.0.0.1", url.port or 6379, int(url.path.strip("/") or 0)


def database_address() -> tuple[str, int]:
    found = connection.settings_dict
    return found["HOST"] or "127.0.0.1", int(found["PORT"] or 5432)


def app_env(
    tmp_path: Path, *, database_port: int | None = None, redis_port: int | None = None, **extra: str
) -> dict[str, str]:
    """The environment of an app process: this test run's database and Redis, reached at
    the given ports (a proxy's) or directly, and nothing written outside tmp_path."""
    db = connection.settings_dict
    db_host, db_port = database_address()
    redis_host, real_redis_port, redis_db = redis_address()
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    port = database_port or db_port
    host = "127.0.0.1" if database_port else db_host
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "messagecenter.settings",
        "DATABASE_URL": f"postgres://{credentials}@{host}:{port}/{db['NAME']}",
        "REDIS_URL": (
            f"redis://127.0.0.1:{redis_port}/{redis_db}"
            if redis_port
            else f"redis://{redis_host}:{real_redis_port}/{redis_db}"
        ),
        "MESSAGECENTER_VAR_DIR": str(tmp_path / "var"),
        "ATTACHMENT_ROOT": str(tmp_path / "attachments"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # The test's own key: sessions it signs in are the server's sessions too.
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def _log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class WebServer:
    """gunicorn with one process of four threads, as in production but smaller."""

    def __init__(self, tmp_path: Path, env: dict[str, str], *, key_prefix: str) -> None:
        self.log = tmp_path / "web.log"
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "tests.faults.run_web",
            key_prefix,
            f"--bind=127.0.0.1:{self.port}",
            "--workers=1",
            "--threads=4",
            "--timeout=60",
            "--graceful-timeout=1",
        ]
        # gunicorn's and Django's logs go to the log file, for the assertions.
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_serving()

    def _wait_until_serving(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{_log_tail(self.log)}")
            with contextlib.suppress(OSError):
                if self.request("/healthz", timeout=5).status in (200, 503):
                    return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{_log_tail(self.log)}")

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: str | None = None,
        timeout: float = 20,
    ) -> Answer:
        """One request on a new connection; raises TimeoutError if no answer in time."""
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return Answer(
            status=response.status,
            headers={k.lower(): v for k, v in response.getheaders()},
            body=body,
            seconds=time.monotonic() - started,
        )

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


class Worker:
    """A real Celery worker (solo pool: one process, so SIGKILL stops the task where it is)."""

    def __init__(
        self, tmp_path: Path, env: dict[str, str], *, key_prefix: str, queues: str, name: str
    ) -> None:
        self.log = tmp_path / f"{name}.log"
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.faults.run_worker",
                key_prefix,
                "--pool=solo",
                f"--queues={queues}",
                f"--hostname={name}@%h",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                f"--logfile={self.log}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_ready()

    @property
    def pid(self) -> int:
        return self._process.pid

    def _wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{_log_tail(self.log)}")
            if self.log.exists() and " ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.05)
        raise RuntimeError(f"the worker was not ready in {timeout} s:\n{_log_tail(self.log)}")

    def kill(self) -> None:
        """kill -9: no cleanup, no acknowledgement, no last write."""
        os.kill(self._process.pid, signal.SIGKILL)
        self._process.wait(timeout=10)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        return _log_tail(self.log, 200)
