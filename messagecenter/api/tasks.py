"""Celery entry points for webhooks: they take ids and call the delivery code."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from messagecenter.api.models import IdempotencyRecord, WebhookDelivery
from messagecenter.api.webhooks.delivery import webhook_attempt
from messagecenter.api.webhooks.events import queue_deliveries

# A delivery due longer ago than this was lost on the way to the worker: queue it again.
LOST_AFTER = timedelta(minutes=2)


@shared_task(name="messagecenter.api.tasks.deliver_webhook", bind=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> None:  # type: ignore[no-untyped-def]
    """One attempt; a failure schedules the next one with backoff, within the window."""
    retry_in = webhook_attempt(delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="messagecenter.api.tasks.queue_due_webhooks")
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


@shared_task(name="messagecenter.api.tasks.purge_idempotency_records")
def purge_idempotency_records() -> int:
    from django.conf import settings

    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
