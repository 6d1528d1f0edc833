"""Celery entry points for messages: they take ids and call services."""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from messagecenter.messaging.models import Message
from messagecenter.messaging.notifications import (
    send_bounce_notice as build_and_send_bounce,
)
from messagecenter.messaging.notifications import (
    send_notification_emails,
)
from messagecenter.messaging.notifications import (
    send_review_decision_notice as build_and_send_decision,
)
from messagecenter.messaging.services import mark_notification_sent, queue_message_notification

logger = logging.getLogger(__name__)


@shared_task(
    name="messagecenter.messaging.tasks.send_message_notification",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_message_notification(message_id: int) -> int:
    """Email the recipients of a message once; a failed send is released and retried."""
    if not mark_notification_sent(message_id=message_id):
        return 0
    try:
        message = Message.objects.select_related(
            "conversation__buyer", "conversation__seller", "conversation__order"
        ).get(pk=message_id)
        return send_notification_emails(message)
    except Exception:
        Message.objects.filter(pk=message_id).update(notification_sent_at=None)
        raise


@shared_task(name="messagecenter.messaging.tasks.queue_unsent_notifications")
def queue_unsent_notifications() -> int:
    """Queue again the notifications that never reached the broker (it was down)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_RETRY_AFTER_SECONDS)
    pending = Message.objects.filter(
        status=Message.Status.DELIVERED,
        notification_sent_at__isnull=True,
        created_at__lt=stale,
        created_at__gte=now - timedelta(days=2),
    ).values_list("pk", flat=True)[:500]
    ids = list(pending)
    for message_id in ids:
        queue_message_notification(message_id)
    if ids:
        logger.info("Queued %d notifications that had not been sent.", len(ids))
    return len(ids)


@shared_task(name="messagecenter.messaging.tasks.purge_expired_uploads")
def purge_expired_uploads() -> int:
    """Delete files people uploaded and never sent, once they expire."""
    from messagecenter.messaging.uploads import uploads_purge_expired

    return uploads_purge_expired()


@shared_task(
    name="messagecenter.messaging.tasks.send_bounce_notice",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=6,
)
def send_bounce_notice(message_id: int) -> int:
    """Tell a seller their message was not delivered because the buyer opted out."""
    message = (
        Message.objects.select_related("conversation__order", "conversation__seller", "sender")
        .filter(pk=message_id, status=Message.Status.UNDELIVERABLE)
        .first()
    )
    return build_and_send_bounce(message) if message else 0


@shared_task(
    name="messagecenter.messaging.tasks.send_review_decision_notice",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=6,
)
def send_review_decision_notice(message_id: int) -> int:
    """Tell the sender what review decided about their held message."""
    message = (
        Message.objects.select_related("conversation__order", "conversation__seller", "sender")
        .filter(pk=message_id)
        .first()
    )
    return build_and_send_decision(message) if message else 0


@shared_task(name="messagecenter.messaging.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Send the digests that are due; each user's is claimed once, so overlaps are safe."""
    from messagecenter.messaging.digests import send_due_digests

    return send_due_digests()
