"""/healthz tells a load balancer whether the database and the broker answer."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection

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
    with mock.patch.object(connection, "cursor", side_effect=broken):
        response = client.get(HEALTHZ)

    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "unavailable", "database": "OperationalError", "broker": "ok"}


def test_only_answers_get(client, db):
    assert client.post(HEALTHZ).status_code == 405
