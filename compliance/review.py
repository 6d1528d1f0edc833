"""What administrators decide about held messages. Every decision is kept with who, when,
what changed and why (ReviewDecision)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from compliance.config import current_policy
from compliance.enforcement import restrict_if_repeated
from compliance.models import ReviewDecision
from messagecenter.accounts.models import User
from messagecenter.api.webhooks.events import WebhookEvent, emit_message_event
from messagecenter.errors import UserFacingError
from messagecenter.messaging.models import Message
from messagecenter.messaging.services import message_release, queue_task


def _notify_sender(message: Message) -> None:
    message_id = message.pk
    transaction.on_commit(lambda: queue_task("send_review_decision_notice", message_id))


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


def review_approve(*, message_id: int, reviewer: User) -> Message:
    """Deliver a held message as it is."""
    with transaction.atomic():
        message = _lock_held(message_id)
        ReviewDecision.objects.create(
            message=message,
            decided_by=reviewer,
            decision=ReviewDecision.Decision.APPROVE,
            subject_before=message.subject,
            subject_after=message.subject,
        )
        message_release(message, now=timezone.now())
        _notify_sender(message)
    return message


def review_edit_subject_and_approve(*, message_id: int, reviewer: User, subject: str) -> Message:
    """Deliver a held message under a subject line the reviewer rewrote."""
    subject = " ".join(subject.split())[:200]
    if not subject:
        raise UserFacingError("Write the new subject line before approving.", field="subject")
    with transaction.atomic():
        message = _lock_held(message_id)
        ReviewDecision.objects.create(
            message=message,
            decided_by=reviewer,
            decision=ReviewDecision.Decision.EDIT_AND_APPROVE,
            subject_before=message.subject,
            subject_after=subject,
        )
        message.subject = subject
        message.save(update_fields=["subject"])
        message_release(message, now=timezone.now())
        _notify_sender(message)
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
        ReviewDecision.objects.create(
            message=message,
            decided_by=reviewer,
            decision=ReviewDecision.Decision.REJECT,
            reason=reason,
            subject_before=message.subject,
            subject_after=message.subject,
        )
        _notify_sender(message)
        if message.sender_side == "seller":
            emit_message_event(WebhookEvent.MESSAGE_REJECTED, message)  # seller's webhooks
            restrict_if_repeated(
                business_id=message.conversation.seller_id,
                now=timezone.now(),
                policy=current_policy(),
            )
    return message
