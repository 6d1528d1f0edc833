"""Fixtures for the fault tests: proxies in front of PostgreSQL and Redis, a real web
server behind them, real workers, and an SMTP server that records what it accepted.

Every test module here is marked `faults` (registered in pyproject.toml); `make test` runs them,
`make test-fast` leaves them out. They need PostgreSQL and Redis, as `make test` provides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from messagecenter.celery import app as celery_app
from tests import factories
from tests.conftest import REDIS_KEY_PREFIX
from tests.faults.processes import WebServer, Worker, app_env, database_address, redis_address
from tests.faults.proxy import TcpProxy
from tests.faults.smtp_sink import SmtpSink


def _needs_servers() -> None:
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("The fault tests need PostgreSQL and Redis (DATABASE_URL, REDIS_URL).")


@pytest.fixture(scope="package")
def db_proxy(django_db_setup) -> Iterator[TcpProxy]:
    """A proxy in front of this test process's PostgreSQL."""
    _needs_servers()
    proxy = TcpProxy(*database_address())
    yield proxy
    proxy.close()


@pytest.fixture(scope="package")
def redis_proxy() -> Iterator[TcpProxy]:
    _needs_servers()
    host, port, _ = redis_address()
    proxy = TcpProxy(host, port)
    yield proxy
    proxy.close()


@pytest.fixture(scope="package")
def web_server(db_proxy: TcpProxy, redis_proxy: TcpProxy, tmp_path_factory) -> Iterator[WebServer]:
    """gunicorn reaching the test database and Redis only through the proxies."""
    tmp_path = tmp_path_factory.mktemp("web")
    server = WebServer(
        tmp_path,
        app_env(tmp_path, database_port=db_proxy.port, redis_port=redis_proxy.port),
        # Under this process's prefix: deleted with its other keys when the run ends.
        key_prefix=f"{REDIS_KEY_PREFIX}web:",
    )
    yield server
    server.stop()


@pytest.fixture
def outage(db_proxy: TcpProxy, redis_proxy: TcpProxy) -> Iterator[dict[str, TcpProxy]]:
    """The proxies by name; whatever a test cuts is open again after it."""
    yield {"database": db_proxy, "redis": redis_proxy}
    db_proxy.resume()
    redis_proxy.resume()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def start_worker(tmp_path, redis_key_prefix) -> Iterator[Callable[..., Worker]]:
    """Start real workers on this test's own queues; each is stopped after the test."""
    _needs_servers()
    started: list[Worker] = []

    def start(*, queues: str = "celery,clock", name: str = "worker", **env: str) -> Worker:
        worker = Worker(
            tmp_path,
            app_env(tmp_path, **env),
            key_prefix=redis_key_prefix,
            queues=queues,
            name=f"{name}{len(started)}",
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def casey(db, northwind):
    return factories.member(northwind, "casey@northwind.example", "Casey Wong", role="agent")


@pytest.fixture
def team(sam, avery, casey) -> list[str]:
    return sorted([sam.email, avery.email, casey.email])


@pytest.fixture
def real_now_plus(monkeypatch):
    """Move this process's clock (timezone.now) by a delta from the real time."""
    real_now = timezone.now

    def move(**delta: float) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(**delta))

    return move


@pytest.fixture
def recover_as_beat_and_a_worker(settings, smtp_sink):
    """From now on this process plays beat and a fresh worker: tasks run in place and send
    their email to the same SMTP server."""

    def switch() -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = smtp_sink.port
        settings.EMAIL_USE_TLS = False
        celery_app.conf.task_always_eager = True

    return switch
