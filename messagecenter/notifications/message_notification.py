"""A delivered message's notification email: each recipient gets it once, even when the
worker sending it dies.

- The send is claimed with a lease (Message.notification_claimed_until): a second run
  while the first is sending does nothing; once the lease has run out, a worker that died
  mid-send is taken for dead and the next run sends.
- Each recipient's email is recorded (MessageEmailSent) right after the mail server
  accepted it, and a run skips the recipients already recorded.
- notification_sent_at is set when every recipient has theirs. Until then beat's rescan
  (tasks.queue_unsent_notifications) queues the message again whenever it is not leased.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.accounts.preferences import Kind, wants_now
from messagecenter.core.mail_delivery import send_each_recorded
from messagecenter.messaging.models import Message
from messagecenter.notifications.message_email import build_relay_email, notification_recipients
from messagecenter.notifications.models import MessageEmailSent

# A worker that claimed a notification and went silent this long is taken for dead.
SENDING_LEASE = timedelta(minutes=5)


def claimable(now: datetime) -> Q:
    """Messages whose notification nobody is sending: never claimed, or the lease is over."""
    return Q(notification_claimed_until__isnull=True) | Q(notification_claimed_until__lt=now)


def unsent_notifications(
    now: datetime, *, created_after: datetime, created_before: datetime, limit: int = 500
) -> list[int]:
    """Delivered messages created in that span whose notification is neither finished nor
    being sent."""
    return list(
        Message.objects.filter(
            claimable(now),
            status=Message.Status.DELIVERED,
            notification_sent_at__isnull=True,
            created_at__gte=created_after,
            created_at__lt=created_before,
        ).values_list("pk", flat=True)[:limit]
    )


def notification_send(*, message_id: int) -> int:
    """Email the message's recipients who have not had it yet; the number sent now.

    A failed send releases the claim (and raises) so the task's retry can go on where it
    stopped.
    """
    now = timezone.now()
    claimed = Message.objects.filter(
        claimable(now),
        pk=message_id,
        notification_sent_at__isnull=True,
        status=Message.Status.DELIVERED,
    ).update(notification_claimed_until=now + SENDING_LEASE)
    if not claimed:
        return 0
    try:
        message = Message.objects.select_related(
            "conversation__buyer", "conversation__seller", "conversation__order"
        ).get(pk=message_id)
        sent = _send_to_the_rest(message)
    except Exception:
        Message.objects.filter(pk=message_id).update(notification_claimed_until=None)
        raise
    Message.objects.filter(pk=message_id).update(
        notification_sent_at=timezone.now(), notification_claimed_until=None
    )
    return sent


def _send_to_the_rest(message: Message) -> int:
    if message.is_automatic:
        return 0  # kept in the conversation, never relayed (no auto-reply ping-pong)
    done = set(
        MessageEmailSent.objects.filter(message=message).values_list("recipient_id", flat=True)
    )
    recipients = [
        user
        for user in wants_now(notification_recipients(message), Kind.NEW_MESSAGE)
        if user.pk not in done
    ]

    def emails() -> Iterator[tuple[User, EmailMessage]]:
        for user in recipients:
            yield user, build_relay_email(message, user)

    def record(user: User) -> None:
        moment = timezone.now()
        MessageEmailSent.objects.create(message=message, recipient=user, sent_at=moment)
        # Still alive: keep the claim while a large team is being emailed.
        Message.objects.filter(pk=message.pk).update(
            notification_claimed_until=moment + SENDING_LEASE
        )

    return send_each_recorded(emails(), record=record)
