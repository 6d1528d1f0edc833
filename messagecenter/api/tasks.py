"""Celery entry points for the API: housekeeping of remembered answers."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from messagecenter.api.models import IdempotencyRecord


@shared_task(name="api.purge_idempotency_records")
def purge_idempotency_records() -> int:
    """Forget Idempotency-Key answers older than API_IDEMPOTENCY_TTL_HOURS."""
    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
