"""What administrators decide about held messages. Every decision is kept with who, when,
what changed and why (ReviewDecision)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from compliance.config import current_policy
from messagecenter.accounts.models import User
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.messaging.delivery import message_release
from messagecenter.messaging.models import Message
from messagecenter.moderation.enforcement import restrict_if_repeated
from messagecenter.moderation.events import ReviewDecided
from messagecenter.moderation.models import ReviewDecision
from messagecenter.threads.models import Side


def _lock_held(message_id: int) -> Message:
    message = (
        Message.objects.select_for_update()
        .select_related("conversation")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.status != Message.Status.HELD:
        raise UserFacingError(
            "This message is no longer waiting for review; someone may have decided already."
        )
    return message


def _decide(message: Message, reviewer: User, decision: str, **details: str) -> ReviewDecision:
    return ReviewDecision.objects.create(
        message=message,
        decided_by=reviewer,
        decision=decision,
        subject_before=details.pop("subject_before", message.subject),
        subject_after=details.pop("subject_after", message.subject),
        **details,
    )


def review_approve(*, message_id: int, reviewer: User) -> Message:
    """Deliver a held message as it is (unless the buyer's opt-out stops it)."""
    with transaction.atomic():
        message = _lock_held(message_id)
        decision = _decide(message, reviewer, ReviewDecision.Decision.APPROVE)
        message_release(message, now=timezone.now())
        publish(ReviewDecided(message, decision))
    return message


def review_edit_subject_and_approve(*, message_id: int, reviewer: User, subject: str) -> Message:
    """Deliver a held message under a subject line the reviewer rewrote.

    Whether the buyer's opt-out stops it is decided on the new subject: a reviewer who
    takes "[Important]" out of a message that was not important takes its exemption too.
    """
    subject = " ".join(subject.split())[:200]
    if not subject:
        raise UserFacingError("Write the new subject line before approving.", field="subject")
    with transaction.atomic():
        message = _lock_held(message_id)
        decision = _decide(
            message, reviewer, ReviewDecision.Decision.EDIT_AND_APPROVE, subject_after=subject
        )
        message.subject = subject
        message.save(update_fields=["subject"])
        message_release(message, now=timezone.now())
        publish(ReviewDecided(message, decision))
    return message


def review_reject(*, message_id: int, reviewer: User, reason: str) -> Message:
    """Refuse a held message; the sender sees the reason in the conversation."""
    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            "Give the reason the sender will see, so they know what to change.", field="reason"
        )
    with transaction.atomic():
        message = _lock_held(message_id)
        message.status = Message.Status.REJECTED
        message.rejection_reason = reason
        message.save(update_fields=["status", "rejection_reason"])
        decision = _decide(message, reviewer, ReviewDecision.Decision.REJECT, reason=reason)
        if message.sender_side == Side.SELLER:
            restrict_if_repeated(
                business_id=message.conversation.seller_id,
                now=timezone.now(),
                policy=current_policy(),
            )
        publish(ReviewDecided(message, decision))
    return message
