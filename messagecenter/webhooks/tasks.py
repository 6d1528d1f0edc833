"""Celery entry points for webhooks: they take ids and call the delivery code."""

from __future__ import annotations

from datetime import timedelta

from celery import Task, shared_task
from django.utils import timezone

from messagecenter.webhooks.delivery import webhook_attempt
from messagecenter.webhooks.emit import queue_deliveries
from messagecenter.webhooks.models import WebhookDelivery

# A delivery due longer ago than this was lost on the way to the worker: queue it again.
LOST_AFTER = timedelta(minutes=2)


@shared_task(name="webhooks.deliver_webhook", bind=True, max_retries=None)
def deliver_webhook(self: Task, delivery_id: int) -> None:
    """One attempt; a failure schedules the next one with backoff, within the window."""
    retry_in = webhook_attempt(delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="webhooks.queue_due_webhooks")
def queue_due_webhooks() -> int:
    """Queue again deliveries whose task never reached a worker (a broker outage)."""
    stale = timezone.now() - LOST_AFTER
    ids = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lt=stale
        ).values_list("pk", flat=True)[:500]
    )
    queue_deliveries(ids)
    return len(ids)
