"""Sending a message: judge it with the compliance engine, then write it in one transaction.

Every way a message comes in (browser, email, API) ends here, so the sanitizer, the policy
and the notification apply the same way to all of them. The outcome follows the verdict:
allowed messages are delivered, flagged ones are held for review, blocked ones are kept as a
record (never shown to the recipient) and the sender keeps the draft.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from compliance.config import current_policy
from compliance.enforcement import record_violations, restrict_if_repeated
from compliance.engine import MessageDraft, SellerFacts, Verdict, check_message
from compliance.facts import order_facts, seller_facts
from compliance.message_types import TypeGroup, get_message_type
from compliance.normalize import normalize
from compliance.sanitize import html_to_text, preview_text, render_message_html
from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.api.webhooks.events import WebhookEvent, emit_message_event
from messagecenter.errors import UserFacingError
from messagecenter.messaging.models import Attachment, Message, Upload
from messagecenter.messaging.uploads import upload_facts
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.reply_clock import clock_on_message_delivered
from messagecenter.threads.services import (
    conversation_for_order_get_or_create,
    conversation_for_product_question_create,
    conversation_mark_read,
)
from orders.models import Order, Product

logger = logging.getLogger(__name__)

# A seller answering within this long after the buyer last wrote is replying, not
# starting something new (no 30-day window, no opt-out check).
REPLY_WINDOW = timedelta(days=30)

_STATUS_FOR_VERDICT = {
    "allow": Message.Status.DELIVERED,
    "flag": Message.Status.HELD,
    "block": Message.Status.BLOCKED,
}


@dataclass(frozen=True)
class SendResult:
    message: Message
    verdict: Verdict

    @property
    def delivered(self) -> bool:
        return self.message.status == Message.Status.DELIVERED

    @property
    def held(self) -> bool:
        return self.message.status == Message.Status.HELD

    @property
    def blocked(self) -> bool:
        return self.message.status == Message.Status.BLOCKED


def answers_buyer(conversation: Conversation, now: datetime) -> bool:
    """Whether a seller message here answers the buyer rather than reaching out."""
    if conversation.started_by == Side.BUYER:
        return True
    last = conversation.last_buyer_message_at
    return last is not None and now - last <= REPLY_WINDOW


def is_marked_important(subject: str) -> bool:
    """ "[Important]" anywhere in the subject, in any case (and fullwidth brackets)."""
    return "[important]" in normalize(subject or "").text.replace(" ", "")


def undeliverable_by_opt_out(message: Message, *, now: datetime) -> bool:
    """A seller's unsolicited, non-critical message to a buyer who opted out."""
    conversation = message.conversation
    if message.sender_side != Side.SELLER or not conversation.buyer.opted_out_of_unsolicited:
        return False
    if answers_buyer(conversation, now):
        return False  # replies in a conversation the buyer started always go through
    kind = get_message_type(message.message_type)
    if kind is not None and kind.group == TypeGroup.CRITICAL:
        return False
    return not is_marked_important(message.subject_as_written or message.subject)


def check_message_send(
    *,
    conversation: Conversation,
    sender: User,
    side: Side,
    message_type: str,
    subject: str,
    body: str,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Verdict:
    """Judge a message without writing anything.

    Raises UserFacingError for what no policy setting can allow (not a participant, nothing
    written); everything else comes back as the engine's verdict.
    """
    now = now or timezone.now()
    if side == Side.BUYER and conversation.buyer_id != sender.pk:
        raise UserFacingError("Only the buyer of this conversation can write as the buyer.")
    if side == Side.SELLER and conversation.seller_id not in business_ids_for_member(sender):
        raise UserFacingError("Only the seller's team can write as the seller.")
    if not html_to_text(render_message_html(body or "")).strip():
        raise UserFacingError("Write a message before sending.", field="body")
    draft = MessageDraft(
        sender_side=Side(side).value,
        message_type=message_type,
        body=body,
        subject=subject,
        attachments=upload_facts(uploads),
        order=order_facts(conversation.order),
        reply_to_buyer=side == Side.SELLER and answers_buyer(conversation, now),
        sent_at=now,
        seller=(
            seller_facts(conversation.seller, conversation.order, now)
            if side == Side.SELLER
            else SellerFacts()
        ),
    )
    return check_message(draft, current_policy())


def message_send(
    *,
    conversation: Conversation,
    sender: User,
    side: Side,
    message_type: str,
    subject: str,
    body: str,
    uploads: Sequence[Upload] = (),
    via: Message.Via = Message.Via.WEB,
    is_automatic: bool = False,
) -> SendResult:
    """Judge and store a message; deliver, hold or block it as the verdict says.

    ``is_automatic`` is for email received (relay.inbound) that a mail program wrote (an
    out-of-office reply): it is delivered but never notified and answers nothing.
    """
    now = timezone.now()
    # PostgreSQL text cannot hold NUL characters; nothing legitimate contains them.
    subject, body = (subject or "").replace("\x00", "\ufffd"), body.replace("\x00", "\ufffd")
    verdict = check_message_send(
        conversation=conversation,
        sender=sender,
        side=side,
        message_type=message_type,
        subject=subject,
        body=body,
        uploads=uploads,
        now=now,
    )
    status = _STATUS_FOR_VERDICT[verdict.verdict]
    clean_subject = " ".join((subject or "").split())[:200]
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            sender_side=side,
            message_type=message_type,
            subject=(verdict.subject or conversation.subject)[:200],
            subject_as_written=clean_subject,
            body_text=body,
            body_html=verdict.body_html,
            via=via,
            status=status,
            verdict=verdict.verdict,
            is_automatic=is_automatic,
        )
        record_violations(message, verdict)
        if status == Message.Status.BLOCKED:
            if side == Side.SELLER:
                restrict_if_repeated(
                    business_id=conversation.seller_id, now=now, policy=current_policy()
                )
        else:
            _attach_uploads(message, uploads)
            conversation_mark_read(conversation=conversation, user=sender)
            if status == Message.Status.DELIVERED:
                message_release(message, now=now)
            elif side == Side.SELLER:
                emit_message_event(WebhookEvent.MESSAGE_HELD, message)  # seller's webhooks
    return SendResult(message, verdict)


def _attach_uploads(message: Message, uploads: Sequence[Upload]) -> None:
    """Turn the sender's uploads into the message's attachments (same stored files)."""
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            file=upload.file.name,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
        )
        for upload in uploads
    )
    Upload.objects.filter(pk__in=[u.pk for u in uploads]).delete()


def message_release(message: Message, *, now: datetime) -> None:
    """Deliver a message the policy allows, unless the buyer opted out of its kind; then it
    is kept as undeliverable and the seller gets a bounce notice."""
    if undeliverable_by_opt_out(message, now=now):
        message.status = Message.Status.UNDELIVERABLE
        message.save(update_fields=["status"])
        message_id = message.pk
        transaction.on_commit(lambda: queue_task("send_bounce_notice", message_id))
        emit_message_event(WebhookEvent.MESSAGE_UNDELIVERABLE, message)  # seller's webhooks
        return
    message_deliver(message)


def message_deliver(message: Message) -> None:
    """Make a stored message visible to the recipient and queue their notification."""
    now = timezone.now()
    message.status = Message.Status.DELIVERED
    message.delivered_at = now
    message.save(update_fields=["status", "delivered_at"])
    _record_on_conversation(message.conversation, message, now)
    # The 24-hour reply clock: a buyer message starts one, a seller's answer stops them.
    clock_on_message_delivered(message)
    if message.sender_side == Side.BUYER:
        emit_message_event(WebhookEvent.BUYER_MESSAGE_RECEIVED, message)  # seller's webhooks
    message_id = message.pk
    transaction.on_commit(lambda: queue_message_notification(message_id))


def _record_on_conversation(conversation: Conversation, message: Message, when: datetime) -> None:
    conversation.last_message_at = when
    conversation.last_message_side = message.sender_side
    conversation.last_message_preview = preview_text(message.body_html)
    if message.sender_side == Side.BUYER:
        conversation.last_buyer_message_at = when
    else:
        conversation.last_seller_message_at = when
    conversation.save(
        update_fields=[
            "last_message_at",
            "last_message_side",
            "last_message_preview",
            "last_buyer_message_at",
            "last_seller_message_at",
        ]
    )


def queue_message_notification(message_id: int) -> None:
    """Hand the notification to the broker; if it is down, beat retries it later."""
    queue_task("send_message_notification", message_id)


def queue_task(name: str, message_id: int) -> None:
    """Queue a messaging task by name; a broker that is down must never lose the message."""
    from messagecenter.messaging import tasks

    try:
        getattr(tasks, name).apply_async(args=[message_id], retry=False)
    except Exception as error:
        logger.warning("Could not queue %s for message %s (%s).", name, message_id, error)


def mark_notification_sent(*, message_id: int) -> bool:
    """Claim the message's notification; False when it was already sent."""
    claimed = Message.objects.filter(
        pk=message_id, notification_sent_at__isnull=True, status=Message.Status.DELIVERED
    ).update(notification_sent_at=timezone.now())
    return claimed == 1


def message_send_for_order(
    *,
    order: Order,
    sender: User,
    side: Side,
    message_type: str,
    subject: str,
    body: str,
    uploads: Sequence[Upload] = (),
    via: Message.Via = Message.Via.WEB,
) -> SendResult:
    """Send in the order's conversation, opening it on first contact.

    A conversation whose only message was blocked stays invisible: inboxes list
    conversations with a delivered message.
    """
    with transaction.atomic():
        conversation = conversation_for_order_get_or_create(order=order, started_by=side)
        return message_send(
            conversation=conversation,
            sender=sender,
            side=side,
            message_type=message_type,
            subject=subject,
            body=body,
            uploads=uploads,
            via=via,
        )


def message_send_product_question(
    *,
    product: Product,
    buyer: User,
    subject: str,
    body: str,
    uploads: Sequence[Upload] = (),
    via: Message.Via = Message.Via.WEB,
) -> SendResult:
    """A buyer's question about a product, in a new conversation with its seller."""
    with transaction.atomic():
        conversation = conversation_for_product_question_create(
            buyer=buyer, product=product, subject=subject
        )
        return message_send(
            conversation=conversation,
            sender=buyer,
            side=Side.BUYER,
            message_type="product_question",
            subject=subject,
            body=body,
            uploads=uploads,
            via=via,
        )
