"""Sending a message: check everything first, then write it all in one transaction.

Every way a message comes in (browser, email, API) ends here, so the sanitizer, the
limits and the notification happen the same way for all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from compliance.message_types import (
    BUYER_TYPES,
    SELLER_TYPES,
    MessageType,
    get_message_type,
)
from compliance.sanitize import html_to_text, preview_text, render_message_html
from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.errors import UserFacingError
from messagecenter.messaging.attachments import (
    check_attachment_limits,
    clean_display_name,
    guess_content_type,
)
from messagecenter.messaging.models import Attachment, Message
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.services import (
    conversation_for_order_get_or_create,
    conversation_for_product_question_create,
    conversation_mark_read,
)
from orders.models import Order, Product

logger = logging.getLogger(__name__)

_TYPES_BY_SIDE = {
    Side.SELLER: {t.id for t in SELLER_TYPES},
    Side.BUYER: {t.id for t in BUYER_TYPES},
}


@dataclass(frozen=True)
class CheckedMessage:
    message_type: MessageType
    subject: str
    body_html: str


def check_message_send(
    *,
    conversation: Conversation,
    sender: User,
    side: Side,
    message_type: str,
    subject: str,
    body: str,
    attachments: Sequence[UploadedFile] = (),
) -> CheckedMessage:
    """Validate a message without writing anything; raise UserFacingError if it can't go."""
    if side == Side.BUYER and conversation.buyer_id != sender.pk:
        raise UserFacingError("Only the buyer of this conversation can write as the buyer.")
    if side == Side.SELLER and conversation.seller_id not in business_ids_for_member(sender):
        raise UserFacingError("Only the seller's team can write as the seller.")

    kind = get_message_type(message_type)
    if kind is None or message_type not in _TYPES_BY_SIDE[side]:
        raise UserFacingError(
            "Choose one of the message types offered in the list.", field="message_type"
        )
    if kind.id == "reply" and conversation.last_buyer_message_at is None:
        raise UserFacingError(
            "“Reply” is for answering a buyer's message, and the buyer has not written in "
            "this conversation. Choose the message type that fits what you are sending.",
            field="message_type",
        )

    body_html = render_message_html(body or "")
    text = html_to_text(body_html)
    if not text.strip():
        raise UserFacingError("Write a message before sending.", field="body")
    if len(text) > kind.text_limit:
        raise UserFacingError(
            f"The message is {len(text)} characters long; a “{kind.label}” message may have "
            f"at most {kind.text_limit}. Shorten it by {len(text) - kind.text_limit}.",
            field="body",
        )
    check_attachment_limits(
        attachments, min_files=kind.min_attachments, max_files=kind.max_attachments
    )
    return CheckedMessage(
        message_type=kind, subject=" ".join((subject or "").split())[:200], body_html=body_html
    )


def message_send(
    *,
    conversation: Conversation,
    sender: User,
    side: Side,
    message_type: str,
    subject: str,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    via: Message.Via = Message.Via.WEB,
) -> Message:
    """Check and store a message with its files, and queue the recipient's notification."""
    checked = check_message_send(
        conversation=conversation,
        sender=sender,
        side=side,
        message_type=message_type,
        subject=subject,
        body=body,
        attachments=attachments,
    )
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            sender_side=side,
            message_type=checked.message_type.id,
            subject=checked.subject or conversation.subject,
            body_text=body,
            body_html=checked.body_html,
            via=via,
        )
        for upload in attachments:
            display_name = clean_display_name(upload.name or "")
            Attachment.objects.create(
                message=message,
                file=upload,
                original_name=display_name,
                content_type=guess_content_type(display_name),
                size=upload.size or 0,
            )
        _record_on_conversation(conversation, message)
        conversation_mark_read(conversation=conversation, user=sender)
        message_id = message.pk
        transaction.on_commit(lambda: queue_message_notification(message_id))
    return message


def _record_on_conversation(conversation: Conversation, message: Message) -> None:
    conversation.last_message_at = message.created_at
    conversation.last_message_side = message.sender_side
    conversation.last_message_preview = preview_text(message.body_html)
    if message.sender_side == Side.BUYER:
        conversation.last_buyer_message_at = message.created_at
    else:
        conversation.last_seller_message_at = message.created_at
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
    from messagecenter.messaging.tasks import send_message_notification

    try:
        send_message_notification.apply_async(args=[message_id], retry=False)
    except Exception as error:  # the broker being down must never lose the message itself
        logger.warning(
            "Could not queue the notification for message %s (%s); beat will retry it.",
            message_id,
            error,
        )


def mark_notification_sent(*, message_id: int) -> bool:
    """Claim the message's notification; False when it was already sent."""
    claimed = Message.objects.filter(pk=message_id, notification_sent_at__isnull=True).update(
        notification_sent_at=timezone.now()
    )
    return claimed == 1


def message_send_for_order(
    *,
    order: Order,
    sender: User,
    side: Side,
    message_type: str,
    subject: str,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    via: Message.Via = Message.Via.WEB,
) -> Message:
    """Send in the order's conversation, opening it on first contact.

    The conversation is only created if the message can be sent, so a refused first
    message leaves nothing behind.
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
            attachments=attachments,
            via=via,
        )


def message_send_product_question(
    *,
    product: Product,
    buyer: User,
    subject: str,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    via: Message.Via = Message.Via.WEB,
) -> Message:
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
            attachments=attachments,
            via=via,
        )
