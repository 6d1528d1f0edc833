"""A worker killed with SIGKILL in the middle of a webhook attempt.

Northwind's helpdesk receives buyer_message.received. A real worker posts Jordan's message
to it; the receiver takes the request and has not answered when the test kills the worker.
Beat's sweep, once the attempt's lease has run out, sends the delivery again with the same
delivery id (the receiver may have acted on the first POST and can drop the repeat), and
the log shows the attempt that was cut off.
"""

from __future__ import annotations

import json

import pytest

from messagecenter.webhooks.models import WebhookDelivery
from messagecenter.webhooks.services import webhook_endpoint_register
from messagecenter.webhooks.tasks import queue_due_webhooks
from tests import factories
from tests.api.receiver import start_receiver
from tests.faults.frozen_worker import through_redis

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

DELIVERY_ID = "x-messagecenter-delivery"


@pytest.fixture
def helpdesk():
    """A receiver that takes the first POST and never answers it."""
    receiver = start_receiver(stall=1)
    yield receiver
    receiver.stop()


@pytest.fixture
def endpoint(settings, helpdesk, northwind, sam):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_REQUIRE_HTTPS = False
    return webhook_endpoint_register(
        business=northwind, url=helpdesk.url, events=["buyer_message.received"], created_by=sam
    )


def test_a_worker_killed_mid_attempt_has_the_delivery_sent_again_by_beat(
    start_worker,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    helpdesk,
    endpoint,
    jordans_order,
):
    worker = start_worker(WEBHOOK_ALLOW_PRIVATE_TARGETS="true", WEBHOOK_REQUIRE_HTTPS="false")
    through_redis(point_celery_at, redis_key_prefix)

    message = factories.buyer_message(jordans_order, "Where is my parcel?")
    [first] = helpdesk.wait_for(1)  # the worker posted it and waits for the answer

    # While that worker is on it, beat's sweep leaves the delivery alone.
    real_now_plus(minutes=3)
    assert queue_due_webhooks() == 0
    worker.kill()

    # Beat's sweep once the attempt's lease has run out.
    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    assert queue_due_webhooks() == 1

    first_again, again = helpdesk.wait_for(2)
    assert first_again is first
    assert again.headers[DELIVERY_ID] == first.headers[DELIVERY_ID], "a receiver can drop it"
    assert again.body == first.body
    assert json.loads(again.body)["data"]["message"]["id"] == message.pk
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded"
    assert [
        (attempt.number, attempt.response_status, attempt.error)
        for attempt in delivery.attempts.order_by("number")
    ] == [
        (1, None, "Cut off: the worker making this attempt stopped before an answer was logged."),
        (2, 200, ""),
    ]
    assert queue_due_webhooks() == 0
    assert len(helpdesk.received) == 2
