"""Whether a message may reach its recipient, and making it reach them.

``delivery_decision`` is the one answer to "may this message reach its recipient now?".
It is asked at every moment of delivery: the first send, whichever way the message came in
(web form, API, email relay), and a reviewer's approval of a held message, with or without
an edit. It judges the message as it will be delivered (subject and body after the
reviewer's edit), so an edit can never carry a message past the buyer's opt-out.

``opt_out_stops`` is the opt-out part of that answer; the Contact Buyer page asks it too,
to say before the seller writes which types will not be delivered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from compliance.config import current_policy
from compliance.engine import MessageDraft, Outcome, Verdict, Violation, check_rules
from compliance.important import is_marked_important
from compliance.message_types import TypeGroup, get_message_type
from compliance.sanitize import preview_text
from messagecenter.core.events import publish
from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.messaging.events import MessageDelivered, MessageUndeliverable
from messagecenter.messaging.facts import order_facts
from messagecenter.messaging.models import Message
from messagecenter.messaging.proactive_counts import record_counted_change
from messagecenter.messaging.replies import answers_buyer
from messagecenter.threads.count_writes import last_word_record
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.state import conversation_wake_on_buyer_message
from messagecenter.threads.unread import LockedConversation, lock_conversation


class Delivery(StrEnum):
    """What becomes of a checked message."""

    DELIVER = "deliver"
    HOLD = "hold"  # flagged: waits for review
    BLOCK = "block"  # kept as a record, never shown to the recipient
    UNDELIVERABLE = "undeliverable"  # allowed, but the buyer opted out of its kind


STATUS_FOR_DELIVERY = {
    Delivery.DELIVER: Message.Status.DELIVERED,
    Delivery.HOLD: Message.Status.HELD,
    Delivery.BLOCK: Message.Status.BLOCKED,
    Delivery.UNDELIVERABLE: Message.Status.UNDELIVERABLE,
}


# The rule that judges whether an "[Important]" mark is deserved.
IMPORTANT_MISUSE = "type.important_misuse"


def opt_out_stops(
    conversation: Conversation,
    *,
    side: str,
    message_type: str,
    subject: str,
    now: datetime,
    mark_misused: bool = False,
) -> bool:
    """A seller's unsolicited, non-critical message to a buyer who opted out.

    Critical types, a subject marked [Important] and answers in a conversation the buyer
    started (or wrote in lately) always go through. The mark counts only while the policy
    has not found it misused on the content it is delivered with (``mark_misused``).
    """
    # An answer first: it reads only the conversation, where the opt-out reads the buyer.
    if side != Side.SELLER or answers_buyer(conversation, now):
        return False
    if not conversation.buyer.opted_out_of_unsolicited:
        return False
    if critical_type(message_type):
        return False
    return mark_misused or not is_marked_important(subject)


def critical_type(message_type: str) -> bool:
    kind = get_message_type(message_type)
    return kind is not None and kind.group == TypeGroup.CRITICAL


def important_mark_misused(violations: Iterable[Violation]) -> bool:
    """Whether the policy found the subject's [Important] mark undeserved."""
    return any(v.rule == IMPORTANT_MISUSE and v.location == "subject" for v in violations)


def delivery_decision(
    conversation: Conversation,
    *,
    side: str,
    message_type: str,
    subject: str,
    verdict: Verdict,
    now: datetime,
    approved: bool = False,
) -> Delivery:
    """May this message reach its recipient now? The one answer, for every way in and for
    every moment of delivery.

    ``verdict`` is the policy's judgement of the message as it will be delivered;
    ``subject`` the subject it will be delivered under. A reviewer's approval
    (``approved``) answers the flags, not the blocks, and never the buyer's opt-out.
    """
    if verdict.blocked:
        return Delivery.BLOCK
    if verdict.flagged and not approved:
        return Delivery.HOLD
    if opt_out_stops(
        conversation,
        side=side,
        message_type=message_type,
        subject=subject,
        now=now,
        mark_misused=important_mark_misused(verdict.violations),
    ):
        return Delivery.UNDELIVERABLE
    return Delivery.DELIVER


def approved_verdict(message: Message, *, now: datetime) -> Verdict:
    """The policy's word on a held message as it stands now, for its approval.

    The reviewer answered the flags; what approval cannot settle is whether an
    "[Important]" mark still on the subject is deserved by the content delivered with it,
    so that rule is asked again on the subject and body as they are now (a reviewer may
    have edited either).
    """
    violations: list[Violation] = []
    if message.sender_side == Side.SELLER and is_marked_important(message.subject):
        conversation = message.conversation
        draft = MessageDraft(
            sender_side=message.sender_side,
            message_type=message.message_type,
            body=message.body_html,
            subject=message.subject,
            order=order_facts(conversation.order),
            reply_to_buyer=answers_buyer(conversation, now),
            sent_at=message.created_at,
        )
        violations = check_rules(draft, [IMPORTANT_MISUSE], current_policy())
    # Held means flagged: the reviewer's approval is what answers it.
    return Verdict(Outcome.FLAG, tuple(violations), message.subject, message.body_html)


def message_release(message: Message, *, now: datetime) -> Delivery:
    """Deliver a held message a reviewer approved, as it stands now, if the one delivery
    decision lets it through; if the buyer's opt-out stops it, keep it as undeliverable
    and tell the seller. Returns what became of it."""
    delivery = delivery_decision(
        message.conversation,
        side=message.sender_side,
        message_type=message.message_type,
        subject=message.subject,
        verdict=approved_verdict(message, now=now),
        now=now,
        approved=True,
    )
    if delivery == Delivery.UNDELIVERABLE:
        message_mark_undeliverable(message)
    else:
        message_deliver(message)
    business_counts_changed(message.conversation.seller_id)  # one held message fewer
    return delivery


def message_mark_undeliverable(message: Message) -> None:
    """Keep a stored message from its recipient because of their opt-out."""
    was = message.status
    message.status = Message.Status.UNDELIVERABLE
    message.save(update_fields=["status"])
    record_counted_change(message, was=was)
    message_became_undeliverable(message)


def message_became_undeliverable(message: Message) -> None:
    publish(MessageUndeliverable(message))


@transaction.atomic(savepoint=False)
def message_deliver(message: Message) -> None:
    """Make a stored message (a held one, approved) visible to the recipient."""
    # The conversation first, as a send locks it, before the message changes.
    locked = lock_conversation(message.conversation_id)
    message.status = Message.Status.DELIVERED
    message.delivered_at = timezone.now()
    message.save(update_fields=["status", "delivered_at"])
    message_became_delivered(message, locked)


def message_became_delivered(
    message: Message, locked: LockedConversation | None = None, *, read_by_sender: bool = False
) -> None:
    """What follows delivery: the conversation's last word, and the apps that care.

    ``locked``: the conversation as the caller's transaction already locked it (a send
    locks it once, before storing the message); locked here otherwise.
    ``read_by_sender``: set the sender's read marker with the last word (a send).
    """
    assert message.delivered_at is not None
    if not message.is_automatic:
        # An out-of-office answer is no word from its side: the inbox still shows the
        # other side waiting.
        _record_on_conversation(message, message.delivered_at, locked, read_by_sender)
    publish(MessageDelivered(message))


@transaction.atomic(savepoint=False)
def _record_on_conversation(
    message: Message, when: datetime, locked: LockedConversation | None, read_by_sender: bool
) -> None:
    # Locked first: the unread counts change by what the last word was before this one.
    locked = locked or lock_conversation(message.conversation_id)
    if locked.last_buyer_message_at is None and locked.last_seller_message_at is None:
        # Its first word: the conversation joins its seller's inbox and the tabs' counts.
        business_counts_changed(locked.seller_id)
    preview = preview_text(message.body_html)
    last_word_record(
        locked,
        side=message.sender_side,
        at=when,
        preview=preview,
        read_by=message.sender if read_by_sender else None,
    )
    conversation = message.conversation
    conversation.last_message_at = when
    conversation.last_message_side = message.sender_side
    conversation.last_message_preview = preview
    if message.sender_side == Side.BUYER:
        conversation.last_buyer_message_at = when
        # Every way a buyer's message arrives ends here: it reopens and wakes the
        # conversation (no query unless it was closed or snoozed).
        conversation_wake_on_buyer_message(locked, conversation, when)
    else:
        conversation.last_seller_message_at = when
