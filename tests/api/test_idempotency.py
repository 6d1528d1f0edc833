"""Idempotency-Key: a retried POST gets the first answer and nothing happens twice."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from messagecenter.api.models import IdempotencyRecord
from messagecenter.api.views import orders as order_views
from messagecenter.messaging.models import Message, Upload
from tests import factories

TEXT = "Please confirm the delivery address for your order: is it apartment 4B?"


def _send(client, order, key: str | None, text: str = TEXT):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        f"/api/v1/orders/{order.number}/messages/confirm_order_details",
        {"text": text},
        format="json",
        **headers,
    )


def test_the_same_key_and_body_return_the_first_answer(api_as, sam, jordans_order):
    client = api_as(sam)

    first = _send(client, jordans_order, "order-42-address")
    again = _send(client, jordans_order, "order-42-address")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Message.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(api_as, sam, jordans_order):
    client = api_as(sam)
    _send(client, jordans_order, "order-42-address")

    response = _send(client, jordans_order, "order-42-address", text=TEXT + " Thanks!")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Message.objects.count() == 1


def test_a_refusal_is_remembered_too(api_as, sam, jordans_order):
    client = api_as(sam)
    text = TEXT + " https://evil.example"

    first = _send(client, jordans_order, "blocked-once", text=text)
    again = _send(client, jordans_order, "blocked-once", text=text)

    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()
    assert Message.objects.filter(status="blocked").count() == 1


def test_keys_belong_to_their_user(api_as, sam, avery, jordans_order):
    _send(api_as(sam), jordans_order, "shared-key")

    response = _send(api_as(avery), jordans_order, "shared-key")

    assert response.status_code == 201
    assert Message.objects.count() == 2


def test_without_a_key_every_request_counts(api_as, sam, jordans_order):
    client = api_as(sam)
    _send(client, jordans_order, None)
    _send(client, jordans_order, None)

    assert Message.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_an_upload_retried_with_its_key_is_stored_once(api_as, sam):
    client = api_as(sam)

    def upload():
        # A new multipart boundary each time, as a real client would send.
        return client.post(
            "/api/v1/uploads",
            {"file": factories.pdf_upload("invoice.pdf")},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )

    first, again = upload(), upload()

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Upload.objects.count() == 1


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "bad\x01key"])
def test_a_malformed_key_is_a_400(api_as, sam, jordans_order, key):
    response = api_as(sam).post(
        f"/api/v1/orders/{jordans_order.number}/messages/confirm_order_details",
        {"text": TEXT},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not Message.objects.exists()


@pytest.mark.postgresql("two requests at once in two threads: row locks and waiting")
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_the_same_time_send_once(api_as, sam, jordans_order, monkeypatch):
    """The second request waits for the first on the key's unique row, then replays it."""
    inside_send = threading.Event()
    real_send = order_views.message_send_for_order

    def slow_send(**kwargs):
        inside_send.set()
        time.sleep(0.5)  # the second request arrives while the first is still sending
        return real_send(**kwargs)

    monkeypatch.setattr(order_views, "message_send_for_order", slow_send)
    responses: dict[str, object] = {}

    def call(name: str) -> None:
        try:
            responses[name] = _send(api_as(sam), jordans_order, "same-moment")
        finally:
            connection.close()

    first = threading.Thread(target=call, args=("first",))
    second = threading.Thread(target=call, args=("second",))
    first.start()
    assert inside_send.wait(10)
    second.start()
    first.join(20)
    second.join(20)

    assert Message.objects.count() == 1
    a, b = responses["first"], responses["second"]
    assert a.status_code == b.status_code == 201
    assert a.json() == b.json()
    assert b["Idempotent-Replayed"] == "true"
