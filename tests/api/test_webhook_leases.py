"""A webhook attempt is claimed with a lease: left alone while its worker is on it, taken
over by beat's sweep once the lease has run out (the worker died), and never settled by a
worker that comes back too late. tests/faults/ kills a real worker mid-attempt.

Northwind's helpdesk (the receiver) takes every event; Jordan writes to Northwind.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from messagecenter.webhooks import transport
from messagecenter.webhooks.delivery import CUT_OFF, webhook_attempt
from messagecenter.webhooks.models import WebhookDelivery
from messagecenter.webhooks.tasks import queue_due_webhooks
from tests import factories

DELIVERY_ID = "x-messagecenter-delivery"


@pytest.fixture
def delivery(endpoint, jordans_order) -> WebhookDelivery:
    """buyer_message.received, written and not yet attempted (its task is not run)."""
    factories.buyer_message(jordans_order, "Where is my parcel?")
    return WebhookDelivery.objects.get()


def _claimed_by_another_worker(delivery: WebhookDelivery, *, lease_left: timedelta) -> None:
    """Attempt 1 was claimed by a worker that has not logged it (yet)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempt_count=1, next_attempt_at=None, claimed_until=timezone.now() + lease_left
    )


def _attempts(delivery: WebhookDelivery) -> list[tuple[int, int | None, str]]:
    return [(a.number, a.response_status, a.error) for a in delivery.attempts.order_by("number")]


def test_an_attempt_in_progress_is_left_alone_until_its_lease_runs_out(
    client, sam, endpoint, receiver, delivery
):
    _claimed_by_another_worker(delivery, lease_left=timedelta(minutes=4))

    assert webhook_attempt(delivery.pk) is None
    assert queue_due_webhooks() == 0
    assert receiver.received == []

    # That worker died: once its lease has run out, beat's sweep queues the delivery again.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert queue_due_webhooks() == 1

    [request] = receiver.received
    assert request.headers[DELIVERY_ID] == str(delivery.event_id)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.claimed_until) == ("succeeded", None)
    assert _attempts(delivery) == [(1, None, CUT_OFF), (2, 200, "")]
    assert queue_due_webhooks() == 0

    client.force_login(sam)
    log = client.get(reverse("webhook_endpoint", args=[endpoint.pk])).content.decode()
    assert f"no answer ({CUT_OFF})" in log
    assert "HTTP 200" in log


def test_a_failed_attempt_releases_its_lease_and_is_retried_on_schedule(
    settings, receiver, delivery
):
    receiver.answers = [503]

    assert webhook_attempt(delivery.pk) == settings.WEBHOOK_RETRY_BASE_SECONDS
    delivery.refresh_from_db()
    assert delivery.claimed_until is None and delivery.next_attempt_at is not None
    assert queue_due_webhooks() == 0, "not due yet, and nobody holds it"

    assert webhook_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert _attempts(delivery) == [(1, 503, ""), (2, 200, "")]


def test_a_worker_slower_than_its_lease_neither_reschedules_nor_undoes_the_delivery(
    receiver, delivery, monkeypatch
):
    real_post = transport.post
    posts: list[bytes] = []
    overtaken: list[int | None] = []

    def slow_post(target, body, headers, timeout):
        posts.append(body)
        if len(posts) > 1:
            return real_post(target, body, headers, timeout)
        # While this worker waits, its lease runs out and another worker delivers.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            claimed_until=timezone.now() - timedelta(seconds=1)
        )
        overtaken.append(webhook_attempt(delivery.pk))
        return transport.Answer(504, "gateway timeout")

    monkeypatch.setattr(transport, "post", slow_post)

    assert webhook_attempt(delivery.pk) is None, "no retry is scheduled by the late worker"

    assert overtaken == [None]
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.next_attempt_at, delivery.claimed_until) == (
        "succeeded",
        None,
        None,
    )
    # Its real answer replaces the "cut off" the other worker had to assume.
    assert _attempts(delivery) == [(1, 504, ""), (2, 200, "")]


def test_a_cut_off_attempt_counts_towards_the_attempt_limit(settings, receiver, delivery):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.answers = [500]
    # The event is ten minutes old; attempt 1's worker died five minutes into it.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        window_started_at=timezone.now() - timedelta(minutes=10)
    )
    _claimed_by_another_worker(delivery, lease_left=-timedelta(seconds=1))

    assert queue_due_webhooks() == 1

    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert _attempts(delivery) == [(1, None, CUT_OFF), (2, 500, "")]
