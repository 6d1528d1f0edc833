"""Celery entry points for email: they take ids, load what they need and call the senders.

Each is safe to run twice: a message's notification is claimed with a lease and recorded
per recipient (message_notification.py), an assignment's notice is claimed with a lease and
settled once sent (assignment.py), a digest per person and day likewise (digests.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from messagecenter.core.tasks import enqueue
from messagecenter.messaging.models import Message
from messagecenter.notifications import assignment, digests, mention, notices
from messagecenter.notifications.message_notification import (
    notification_send,
    unsent_notifications,
)

logger = logging.getLogger(__name__)

SEND_MESSAGE_NOTIFICATION = "notifications.send_message_notification"
SEND_BOUNCE_NOTICE = "notifications.send_bounce_notice"
SEND_REVIEW_DECISION_NOTICE = "notifications.send_review_decision_notice"
SEND_ASSIGNMENT_NOTICE = "notifications.send_assignment_notice"
SEND_MENTION_NOTICE = "notifications.send_mention_notice"

_EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 6,
}


@shared_task(name=SEND_MESSAGE_NOTIFICATION, **_EMAIL_RETRIES)
def send_message_notification(message_id: int) -> int:
    """Email each recipient of a message once; a failed send is released and retried."""
    return notification_send(message_id=message_id)


# Older than this, an email that never went out is news no more.
RESCAN_DAYS = 2


@shared_task(name="notifications.queue_unsent_notifications")
def queue_unsent_notifications() -> int:
    """Queue again the message notifications, assignment and mention notices that are not finished
    and not being sent: the broker was down when they were queued, or the worker sending
    them died (its lease ran out). Returns how many were queued."""
    now = timezone.now()
    oldest = now - timedelta(days=RESCAN_DAYS)
    # Younger ones may still be on their way through the broker.
    newest = now - timedelta(seconds=settings.NOTIFICATION_RETRY_AFTER_SECONDS)
    message_ids = unsent_notifications(now, created_after=oldest, created_before=newest)
    for message_id in message_ids:
        enqueue(SEND_MESSAGE_NOTIFICATION, message_id)
    assignment_ids = assignment.unsent_assignment_notices(
        now, assigned_after=oldest, assigned_before=newest
    )
    for assignment_id in assignment_ids:
        enqueue(SEND_ASSIGNMENT_NOTICE, assignment_id)
    mention_ids = mention.unsent_mention_notices(now, written_after=oldest, written_before=newest)
    for mention_id in mention_ids:
        enqueue(SEND_MENTION_NOTICE, mention_id)
    if message_ids or assignment_ids or mention_ids:
        logger.info(
            "Queued %d notifications, %d assignment and %d mention notices that had not been sent.",
            len(message_ids),
            len(assignment_ids),
            len(mention_ids),
        )
    return len(message_ids) + len(assignment_ids) + len(mention_ids)


@shared_task(name=SEND_BOUNCE_NOTICE, **_EMAIL_RETRIES)
def send_bounce_notice(message_id: int) -> int:
    """Tell a seller their message was not delivered because the buyer opted out."""
    message = (
        Message.objects.select_related("conversation__order", "conversation__seller", "sender")
        .filter(pk=message_id, status=Message.Status.UNDELIVERABLE)
        .first()
    )
    return notices.send_bounce_notice(message) if message else 0


@shared_task(name=SEND_REVIEW_DECISION_NOTICE, **_EMAIL_RETRIES)
def send_review_decision_notice(message_id: int) -> int:
    """Tell the sender what review decided about their held message."""
    message = (
        Message.objects.select_related("conversation__order", "conversation__seller", "sender")
        .filter(pk=message_id)
        .first()
    )
    return notices.send_review_decision_notice(message) if message else 0


@shared_task(name=SEND_ASSIGNMENT_NOTICE, **_EMAIL_RETRIES)
def send_assignment_notice(assignment_id: int) -> int:
    """Tell a team member a conversation was assigned to them."""
    return assignment.send_assignment_notice(assignment_id)


@shared_task(name=SEND_MENTION_NOTICE, **_EMAIL_RETRIES)
def send_mention_notice(mention_id: int) -> int:
    """Tell a teammate an internal note mentions them."""
    return mention.send_mention_notice(mention_id)


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    """Send the digests that are due; each user's is claimed once, so overlaps are safe."""
    return digests.send_due_digests()
