"""What administrators decide about held messages. Every decision is kept with who, when,
what changed and why (ReviewDecision)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.config import current_policy
from compliance.engine import Violation
from messagecenter.accounts.models import User
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.messaging.delivery import message_release
from messagecenter.messaging.edits import check_message_edit
from messagecenter.messaging.models import Message
from messagecenter.messaging.proactive_counts import record_counted_change
from messagecenter.messaging.sending import clean_subject
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
            _("This message is no longer waiting for review; someone may have decided already.")
        )
    return message


def _decide(message: Message, reviewer: User, decision: str, **details: Any) -> ReviewDecision:
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


class EditBreaksPolicy(UserFacingError):
    """A reviewer's edit that the policy blocks: nothing is approved or changed."""

    def __init__(self, violations: Sequence[Violation]):
        super().__init__(
            _(
                "Not approved: your edit breaks the messaging policy, so the message is "
                "still held as it was. Change what is listed here, or reject the message."
            ),
            code="edit_blocked",
        )
        self.violations = tuple(violations)


def review_edit_and_approve(
    *, message_id: int, reviewer: User, subject: str, body: str
) -> ReviewDecision:
    """Deliver a held message with the subject and body a reviewer rewrote.

    The edit is judged by the same sanitizer and policy as any message sent: an edit the
    policy blocks is refused (``EditBreaksPolicy``) and nothing changes; redactions and
    fixes are applied; flags are what the reviewer is answering. The decision keeps the
    subject and body before and after, and what the policy found in the edit. Delivery
    is then decided as for any approval (``message_release``), on the edited subject.
    """
    if not clean_subject(subject):
        raise UserFacingError(
            _("Write the subject line the recipient will see before approving."),
            field="subject",
        )
    with transaction.atomic():
        message = _lock_held(message_id)
        edit = check_message_edit(message, subject=subject, body=body)
        if edit.blocked:
            raise EditBreaksPolicy([v for v in edit.verdict.violations if v.action == "block"])
        decision = _decide(
            message,
            reviewer,
            ReviewDecision.Decision.EDIT_AND_APPROVE,
            subject_after=edit.delivered_subject,
            body_before=message.body_html,
            body_after=edit.body,
            # With the sentence in every language, shown in the reader's (decisions_for).
            findings=[
                {**v.as_dict(), "messages": dict(v.messages)} for v in edit.verdict.violations
            ],
        )
        message.subject = edit.delivered_subject
        message.body_html = edit.verdict.body_html
        message.save(update_fields=["subject", "body_html"])
        message_release(message, now=timezone.now())
        publish(ReviewDecided(message, decision, edit.verdict))
    return decision


def review_reject(*, message_id: int, reviewer: User, reason: str) -> Message:
    """Refuse a held message; the sender sees the reason in the conversation."""
    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            _(
                "Not rejected: write the reason first. The sender reads it in the "
                "conversation, so say what breaks the policy and what to change."
            ),
            field="reason",
        )
    with transaction.atomic():
        message = _lock_held(message_id)
        message.status = Message.Status.REJECTED
        message.rejection_reason = reason
        message.save(update_fields=["status", "rejection_reason"])
        record_counted_change(message, was=Message.Status.HELD)
        business_counts_changed(message.conversation.seller_id)
        decision = _decide(message, reviewer, ReviewDecision.Decision.REJECT, reason=reason)
        if message.sender_side == Side.SELLER:
            restrict_if_repeated(
                business_id=message.conversation.seller_id,
                now=timezone.now(),
                policy=current_policy(),
            )
        publish(ReviewDecided(message, decision))
    return message
