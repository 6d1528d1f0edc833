"""Shared fixtures: a small marketplace whose people read like a story.

Jordan buys from Northwind Home Goods, where Sam is the owner and Avery an agent. Priya is
another buyer. Maria runs Cascade Outdoor Supply, another seller. Morgan is an administrator.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import kombu.pools
import pytest
import redis
from django.conf import settings as django_settings
from django.test import override_settings

from compliance.config import kept_policy_forget
from messagecenter.celery import app as celery_app
from messagecenter.moderation.kept_restrictions import kept_restrictions_forget
from tests import factories

# Playwright's sync API runs an event loop in the test thread; the ORM calls made there
# by fixtures are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Set by pytest-xdist in each worker process ("gw0", "gw1", ...); absent in a serial run.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# Every Redis key this test process writes starts with this. Parallel workers share one
# Redis database, and so may other runs (another checkout, a CI job): the worker id keeps
# the workers apart, the random part keeps this run apart from the others.
REDIS_KEY_PREFIX = f"mc-test-{XDIST_WORKER}-{uuid.uuid4().hex[:8]}:"


def _delete_redis_keys(prefix: str) -> None:
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked `postgresql` when the database is another (the SQLite lane)."""
    if django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("postgresql")
        if marker is not None:
            reason = marker.args[0] if marker.args else "needs PostgreSQL"
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {reason}"))


@pytest.fixture(scope="session", autouse=True)
def _redis_keys_of_this_process() -> Iterator[None]:
    """Whatever reaches Redis from this process goes under REDIS_KEY_PREFIX.

    The API throttle cache (Redis when REDIS_URL is set) would otherwise count one worker's
    requests against another's token with the same id, and a task published without a
    worker would wait in a queue that every process shares.
    """
    if not django_settings.REDIS_URL:
        yield
        return
    throttle_cache = {
        **django_settings.CACHES[django_settings.API_THROTTLE_CACHE],
        "KEY_PREFIX": f"{REDIS_KEY_PREFIX}mc-api",
    }
    conf = celery_app.conf
    saved_options = conf.broker_transport_options
    conf.broker_transport_options = {
        **(saved_options or {}),
        "global_keyprefix": REDIS_KEY_PREFIX,
    }
    _drop_broker_pools()
    counts_cache = {
        **django_settings.CACHES[django_settings.BUSINESS_COUNTS_CACHE],
        "KEY_PREFIX": f"{REDIS_KEY_PREFIX}mc-counts",
    }
    live_cache = {
        **django_settings.CACHES[django_settings.LIVE_CACHE],
        "KEY_PREFIX": f"{REDIS_KEY_PREFIX}mc-live",
    }
    caches = {
        **django_settings.CACHES,
        django_settings.API_THROTTLE_CACHE: throttle_cache,
        django_settings.BUSINESS_COUNTS_CACHE: counts_cache,
        django_settings.LIVE_CACHE: live_cache,
    }
    # Live events: each process's groups apart, as its ids repeat another worker's.
    layer = django_settings.CHANNEL_LAYERS["default"]
    config = {**layer.get("CONFIG", {}), "prefix": f"{REDIS_KEY_PREFIX}mc-live"}
    if "hosts" in config:
        # Production gives up connecting after 0.5 s so that a publish never holds a send
        # when Redis is unreachable; a test machine busy with two workers and a browser once
        # took longer than that to accept a live socket test's connection ("Timeout
        # connecting to server"). The tests of Redis being down build layers of their own.
        config["hosts"] = [
            {**host, "socket_connect_timeout": 5} if isinstance(host, dict) else host
            for host in config["hosts"]
        ]
    channel_layers = {"default": {**layer, "CONFIG": config}}
    try:
        with override_settings(CACHES=caches, CHANNEL_LAYERS=channel_layers):
            yield
    finally:
        conf.broker_transport_options = saved_options
        _drop_broker_pools()
        _delete_redis_keys(REDIS_KEY_PREFIX)


@pytest.fixture
def redis_key_prefix() -> Iterator[str]:
    """A Redis key prefix of the test's own, under this process's; its keys go after."""
    prefix = f"{REDIS_KEY_PREFIX}{uuid.uuid4().hex[:8]}:"
    yield prefix
    if django_settings.REDIS_URL:
        _delete_redis_keys(prefix)


@pytest.fixture(autouse=True)
def _isolated_files_and_eager_tasks(settings, tmp_path) -> Iterator[None]:
    settings.ATTACHMENT_ROOT = tmp_path / "attachments"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _policy_read_afresh() -> None:
    """Each process keeps the policy it read (compliance/config.py); a test's database
    starts over, so must the kept policy, and the kept restrictions."""
    kept_policy_forget()
    kept_restrictions_forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Real hashing costs 0.2 s per user created; tests only need passwords to check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def northwind(db):
    return factories.business("Northwind Home Goods")


@pytest.fixture
def cascade(db):
    return factories.business("Cascade Outdoor Supply")


@pytest.fixture
def jordan(db):
    return factories.user("jordan@example.com", "Jordan Miles")


@pytest.fixture
def priya(db):
    return factories.user("priya@example.com", "Priya Natarajan")


@pytest.fixture
def sam(db, northwind):
    return factories.member(northwind, "sam@northwind.example", "Sam Carter", role="owner")


@pytest.fixture
def avery(db, northwind):
    return factories.member(northwind, "avery@northwind.example", "Avery Lee", role="agent")


@pytest.fixture
def maria(db, cascade):
    return factories.member(cascade, "maria@cascade.example", "Maria Lopez", role="owner")


@pytest.fixture
def morgan(db):
    return factories.user("morgan@example.com", "Morgan Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def jordans_order(db, jordan, northwind):
    return factories.order(buyer=jordan, seller=northwind, status="shipped")


def _drop_broker_pools() -> None:
    """Forget pooled broker connections so the next send connects to the current URL.

    kombu keeps its pools in a registry keyed by connection URL, so they are closed and
    removed there too; otherwise going back to a URL would find its closed pool.
    """
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def point_celery_at() -> Iterator[Callable[..., None]]:
    """Point the Celery app at another broker for one test; everything is put back after.

    ``point_celery_at(url, eager=False)`` switches the broker and turns eager mode off, so
    tasks really go through the broker. Extra transport options may be given too (for
    example a ``redis_key_prefix`` of the test's own, so that a real worker only ever sees
    this test's queue); otherwise the process's REDIS_KEY_PREFIX applies.
    """
    conf = celery_app.conf
    keys = ("broker_url", "broker_transport_options", "task_always_eager")
    saved = {key: conf[key] for key in keys}

    def point(
        broker_url: str, *, eager: bool = False, transport_options: dict | None = None
    ) -> None:
        conf.broker_url = broker_url
        conf.broker_transport_options = {
            **(saved["broker_transport_options"] or {}),
            **(transport_options or {}),
        }
        conf.task_always_eager = eager
        _drop_broker_pools()

    yield point
    for key, value in saved.items():
        conf[key] = value
    _drop_broker_pools()
