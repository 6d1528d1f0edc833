"""Celery entry points for webhooks: they take ids and call the delivery code."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from messagecenter.webhooks.delivery import lost_deliveries, webhook_attempt
from messagecenter.webhooks.emit import queue_deliveries


@shared_task(name="webhooks.deliver_webhook", bind=True, max_retries=None)
def deliver_webhook(self: Task, delivery_id: int) -> None:
    """One attempt; a failure schedules the next one with backoff, within the window."""
    retry_in = webhook_attempt(delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="webhooks.queue_due_webhooks")
def queue_due_webhooks() -> int:
    """Queue again deliveries whose task never reached a worker (a broker outage) or whose
    worker died mid-attempt (its lease ran out); returns how many."""
    ids = lost_deliveries(timezone.now())
    queue_deliveries(ids)
    return len(ids)
