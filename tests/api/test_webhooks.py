"""Webhooks: signed deliveries a receiver can verify, retries with backoff against a
receiver on 127.0.0.1 (the `receiver` and `endpoint` fixtures, tests/api/conftest.py), the
log, and the refusal of private and loopback addresses."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.models import Message
from messagecenter.moderation.review import review_reject
from messagecenter.webhooks.delivery import retry_delay, webhook_attempt
from messagecenter.webhooks.emit import emit_message_event
from messagecenter.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from messagecenter.webhooks.services import webhook_endpoint_register
from messagecenter.webhooks.signing import verify_signature
from tests import factories

ALL_EVENTS = [
    "buyer_message.received",
    "reply.due_soon",
    "message.held",
    "message.rejected",
    "message.undeliverable",
]


def receiver_accepts(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver written from the documentation does, with nothing of ours."""
    fields = dict(part.split("=", 1) for part in headers["x-messagecenter-signature"].split(","))
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > 300:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def test_a_buyer_message_is_delivered_signed(
    endpoint, receiver, jordans_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.buyer_message(jordans_order, "Where is my parcel?")

    (request,) = receiver.received
    assert request.path == "/hooks/messages"
    assert request.headers["x-messagecenter-event"] == "buyer_message.received"
    assert receiver_accepts(endpoint.secret, request.headers, request.body)
    assert verify_signature(
        endpoint.secret, request.headers["x-messagecenter-signature"], request.body
    )
    assert not receiver_accepts("whsec_wrong", request.headers, request.body)
    assert not receiver_accepts(endpoint.secret, request.headers, request.body + b" ")
    payload = json.loads(request.body)
    assert payload["event"] == "buyer_message.received"
    assert payload["data"]["message"]["id"] == message.pk
    assert payload["data"]["message"]["text"] == "Where is my parcel?"
    assert payload["data"]["order_number"] == jordans_order.number
    assert request.headers["x-messagecenter-delivery"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded"
    assert [(a.number, a.response_status) for a in delivery.attempts.all()] == [(1, 200)]


def test_an_old_or_tampered_signature_is_refused_by_the_helper():
    body = b'{"event":"x"}'
    secret = "whsec_test"
    ts = int(time.time()) - 3600
    sig = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()

    assert not verify_signature(secret, f"t={ts},v1={sig}", body)
    assert verify_signature(secret, f"t={ts},v1={sig}", body, now=ts + 10)
    assert not verify_signature(secret, "t=abc,v1=00", body)


def test_failures_are_retried_and_every_attempt_is_logged(
    endpoint, receiver, jordans_order, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 503]  # then 200

    with django_capture_on_commit_callbacks(execute=True):
        factories.buyer_message(jordans_order)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded"
    attempts = list(delivery.attempts.order_by("number"))
    assert [(a.number, a.response_status) for a in attempts] == [(1, 500), (2, 503), (3, 200)]
    assert attempts[0].response_excerpt == "try later"
    assert len(receiver.received) == 3
    # Every try is signed afresh, and carries the same event id.
    assert len({r.headers["x-messagecenter-delivery"] for r in receiver.received}) == 1


def test_retries_stop_after_the_attempt_limit(
    settings, endpoint, receiver, jordans_order, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answers = [500] * 10

    with django_capture_on_commit_callbacks(execute=True):
        factories.buyer_message(jordans_order)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.attempts.count() == 3


def test_retries_stop_when_the_window_has_passed(settings, endpoint, receiver, jordans_order):
    receiver.answers = [500] * 10
    factories.buyer_message(jordans_order)  # on_commit not run: the test drives attempts
    delivery = WebhookDelivery.objects.get()

    assert webhook_attempt(delivery.pk) == 1  # one second, then two...
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        window_started_at=timezone.now() - timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS)
    )
    assert webhook_attempt(delivery.pk) is None

    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempt_count == 2


def test_backoff_doubles_up_to_its_cap(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS = 3600

    assert [retry_delay(n) for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_an_unreachable_receiver_is_logged_and_retried_later(
    loopback_allowed, northwind, sam, jordans_order
):
    # A loopback port nobody listens on. It stays bound (never listening) until the attempt
    # is made: connections to it are refused, and no other server, such as a parallel test
    # worker's receiver, can take the port in between and answer.
    with socket.socket() as unanswered:
        unanswered.bind(("127.0.0.1", 0))
        port = unanswered.getsockname()[1]
        webhook_endpoint_register(
            business=northwind, url=f"http://127.0.0.1:{port}/", events=ALL_EVENTS, created_by=sam
        )
        factories.buyer_message(jordans_order)
        delivery = WebhookDelivery.objects.get()

        assert webhook_attempt(delivery.pk) == 1

    attempt = WebhookAttempt.objects.get()
    assert attempt.response_status is None
    assert "Connection" in attempt.error or "refused" in attempt.error.lower()
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.next_attempt_at is not None


# --- Which events, to whom -----------------------------------------------------------------


def test_only_the_sellers_subscribed_endpoints_get_an_event(
    loopback_allowed, receiver, northwind, cascade, sam, maria, jordans_order
):
    held_only = webhook_endpoint_register(
        business=northwind, url=receiver.url, events=["message.held"], created_by=sam
    )
    other_seller = webhook_endpoint_register(
        business=cascade, url=receiver.url, events=ALL_EVENTS, created_by=maria
    )

    factories.buyer_message(jordans_order)

    assert not WebhookDelivery.objects.filter(endpoint__in=[held_only, other_seller]).exists()


def test_held_rejected_and_undeliverable_messages_are_reported(
    endpoint, sam, jordan, morgan, jordans_order
):
    from compliance.models import PolicySettings, RuleSetting

    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    held = factories.seller_message(
        jordans_order,
        sam,
        "Your licence key is below. " + "Setup notes follow. " * 30,
        message_type="digital_access_key",
    )
    review_reject(message_id=held.pk, reviewer=morgan, reason="Too long for a key.")
    jordan.opted_out_of_unsolicited = True
    jordan.save()
    factories.seller_message(
        jordans_order,
        sam,
        "Your order will ship two days later than planned.",
        message_type="shipment_delay",
    )

    events = list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))
    assert events == ["message.held", "message.rejected", "message.undeliverable"]
    rejected = WebhookDelivery.objects.get(event="message.rejected")
    assert rejected.payload["data"]["message"]["rejection_reason"] == "Too long for a key."


def test_a_send_that_rolls_back_reports_nothing(endpoint, jordans_order):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        factories.buyer_message(jordans_order)
        raise RuntimeError("something after the send failed")

    assert not WebhookDelivery.objects.exists()
    assert not Message.objects.exists()


# --- Where webhooks may go -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.20/hook",
        "https://172.16.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[fd00::1]/hook",
        "https://0.0.0.0/hook",
        "https://100.64.0.1/hook",
    ],
)
def test_private_and_loopback_targets_are_refused(northwind, sam, url):
    with pytest.raises(UserFacingError) as refused:
        webhook_endpoint_register(business=northwind, url=url, events=ALL_EVENTS, created_by=sam)

    assert refused.value.field == "url"
    assert "public" in refused.value.message
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_resolves_to_a_private_address_is_refused(northwind, sam, monkeypatch):
    def fake_getaddrinfo(host, port, *args, **kwargs):
        assert host == "hooks.example.com"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)

    with pytest.raises(UserFacingError, match=r"10\.1\.2\.3"):
        webhook_endpoint_register(
            business=northwind,
            url="https://hooks.example.com/x",
            events=ALL_EVENTS,
            created_by=sam,
        )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://93.184.215.14/hook", "https://"),
        ("ftp://93.184.215.14/hook", "https://"),
        ("https://user:pw@93.184.215.14/hook", "password"),
        ("https:///hook", "host"),
    ],
)
def test_other_bad_urls_are_refused(northwind, sam, url, reason):
    with pytest.raises(UserFacingError, match=reason):
        webhook_endpoint_register(business=northwind, url=url, events=ALL_EVENTS, created_by=sam)


def test_a_public_https_address_is_accepted(northwind, sam):
    endpoint = webhook_endpoint_register(
        business=northwind,
        url="https://93.184.215.14/hooks",
        events=["message.held"],
        created_by=sam,
    )

    assert endpoint.secret.startswith("whsec_")
    assert endpoint.events == ["message.held"]


def test_a_private_target_is_refused_again_at_delivery(
    settings, receiver, northwind, jordans_order
):
    """An endpoint saved while private targets were allowed is not sent to once they aren't."""
    settings.WEBHOOK_REQUIRE_HTTPS = False
    WebhookEndpoint.objects.create(
        business=northwind, url=receiver.url, events=ALL_EVENTS, secret="whsec_x"
    )
    factories.buyer_message(jordans_order)
    delivery = WebhookDelivery.objects.get()

    webhook_attempt(delivery.pk)

    assert receiver.received == []
    assert "private, loopback or reserved" in WebhookAttempt.objects.get().error


def test_an_event_no_endpoint_wants_reads_only_the_endpoints(
    jordans_order, django_assert_num_queries
):
    # The payload (the order's number, the text out of the message's HTML) is made only
    # for an endpoint that wants the event: a business without one pays one read.
    message = factories.buyer_message(jordans_order, "Where is my parcel?")
    fresh = Message.objects.get(pk=message.pk)  # its conversation and order not loaded

    with django_assert_num_queries(2):  # the conversation, then the business's endpoints
        assert emit_message_event(WebhookEvent.BUYER_MESSAGE_RECEIVED, fresh) == []

    assert not WebhookDelivery.objects.exists()
