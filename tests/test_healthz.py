"""/healthz tells a load balancer whether the database and the broker answer, and does
so within a second whatever hangs (the fault tests cut the real connections: tests/faults)."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from messagecenter import health

HEALTHZ = "/healthz"


@pytest.fixture
def live_broker(point_celery_at):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set; `make test` sets it.")
    point_celery_at(settings.REDIS_URL)


def test_healthy_when_database_and_broker_answer(client, db, live_broker):
    response = client.get(HEALTHZ)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unavailable_naming_the_broker_when_it_is_down(client, db, point_celery_at):
    point_celery_at("redis://secret-user:hunter2@127.0.0.1:1/0")

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"
    assert "Error" in body["broker"]
    # The kind of failure only: no address or password from the broker URL.
    page = response.content.decode()
    assert "hunter2" not in page
    assert "127.0.0.1" not in page


def test_unavailable_naming_the_database_when_it_is_down(client, db, live_broker):
    broken = OperationalError("connection to server at 127.0.0.1 failed")
    # The check runs in a thread of its own, with that thread's connection: every one fails.
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=broken):
        response = client.get(HEALTHZ)

    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "unavailable", "database": "OperationalError", "broker": "ok"}


def test_only_answers_get(client, db):
    assert client.post(HEALTHZ).status_code == 405


def test_a_check_that_hangs_is_answered_as_timed_out_within_a_second(
    client, db, live_broker, monkeypatch
):
    release = threading.Event()
    monkeypatch.setattr(health, "database_state", lambda: "ok" if release.wait(5) else "late")
    started = time.monotonic()
    try:
        response = client.get(HEALTHZ)
    finally:
        release.set()

    assert time.monotonic() - started < 1
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "timeout", "broker": "ok"}


def test_checks_left_hanging_pile_up_no_further_than_a_few_threads():
    release = threading.Event()

    def hang() -> str:
        release.wait(5)
        return "ok"

    try:
        first = health.run_checks({f"check {i}": hang for i in range(health.MAX_RUNNING)}, 0.05)
        assert set(first.values()) == {"timeout"}
        assert health.run_checks({"database": lambda: "ok"}, 0.05) == {"database": "busy"}
    finally:
        release.set()
    deadline = time.monotonic() + 5
    while health.run_checks({"database": lambda: "ok"}, 0.5) != {"database": "ok"}:
        assert time.monotonic() < deadline, "the hung checks never gave their threads back"
        time.sleep(0.05)
