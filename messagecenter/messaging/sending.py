"""Sending a message: check, then do.

``check_message_send`` judges what someone wrote (a ``Draft``) and writes nothing: it
returns a frozen ``SendRequest`` holding the conversation, the sender, the text as written,
the policy engine's verdict and the delivery decision. ``message_send`` stores exactly
that, in one transaction, and tells the apps above through domain events. Every way a
message comes in (web form, API, email) builds a Draft and goes through these two, so the
sanitizer, the policy and the opt-out apply the same way to all of them.

An automatic reply (an out-of-office email) is a flag on the draft: it is delivered, but
the conversation's last word, the sender's read marker and the reply clock skip it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.config import current_policy
from compliance.engine import FileFacts, MessageDraft, SellerFacts, Verdict, check_message
from compliance.policy import PolicyConfig
from compliance.sanitize import html_to_text, render_message_html
from messagecenter.accounts.selectors import is_member_of
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.messaging.delivery import (
    STATUS_FOR_DELIVERY,
    Delivery,
    delivery_decision,
    message_became_delivered,
    message_became_undeliverable,
)
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.events import MessageHeld, MessageStored
from messagecenter.messaging.facts import order_facts, seller_facts, seller_facts_apply
from messagecenter.messaging.models import Attachment, Message, Upload
from messagecenter.messaging.previews import queue_previews
from messagecenter.messaging.proactive_counts import record_counted_change
from messagecenter.messaging.replies import answers_buyer
from messagecenter.messaging.uploads import upload_facts
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.services import (
    conversation_for_order_get_or_create,
    conversation_for_product_question_create,
    conversation_mark_read,
)
from messagecenter.threads.topic_routing import conversation_topic_choose
from messagecenter.threads.unread import lock_conversation
from orders.models import Order, Product


@dataclass(frozen=True)
class SendRequest:
    """A checked draft: exactly what ``message_send`` will store, and how it will go."""

    conversation: Conversation
    draft: Draft
    subject: str  # as written, on one line
    body: str  # as written
    verdict: Verdict
    delivery: Delivery
    policy: PolicyConfig
    checked_at: datetime
    uploads: tuple[Upload, ...] = field(default=())

    @property
    def blocked(self) -> bool:
        return self.delivery == Delivery.BLOCK


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

    @property
    def undeliverable(self) -> bool:
        return self.message.status == Message.Status.UNDELIVERABLE


def check_message_send(
    conversation: Conversation, draft: Draft, *, now: datetime | None = None
) -> SendRequest:
    """Judge a draft without writing anything.

    Raises UserFacingError for what no policy setting can allow (not a participant, nothing
    written); everything else comes back in the request: the verdict and what it means for
    delivery.
    """
    now = now or timezone.now()
    if draft.side == Side.BUYER and conversation.buyer_id != draft.sender.pk:
        raise UserFacingError(_("Only the buyer of this conversation can write as the buyer."))
    if draft.side == Side.SELLER and not is_member_of(draft.sender, conversation.seller_id):
        raise UserFacingError(_("Only the seller's team can write as the seller."))
    body = clean_body(draft.body)
    subject = clean_subject(draft.subject)
    if not has_text(body):
        raise UserFacingError(_("Write a message before sending."), field="body")
    policy = current_policy()
    verdict = judge_message(
        conversation,
        side=draft.side,
        message_type=draft.message_type,
        subject=subject,
        body=body,
        attachments=upload_facts(draft.uploads),
        sent_at=now,
        policy=policy,
    )
    delivery = delivery_decision(
        conversation,
        side=draft.side,
        message_type=draft.message_type,
        subject=verdict.subject or conversation.subject,
        verdict=verdict,
        now=now,
    )
    return SendRequest(
        conversation=conversation,
        draft=draft,
        subject=subject,
        body=body,
        verdict=verdict,
        delivery=delivery,
        policy=policy,
        checked_at=now,
        uploads=tuple(draft.uploads),
    )


def clean_body(body: str | None) -> str:
    # PostgreSQL text cannot hold NUL characters; nothing legitimate contains them.
    return (body or "").replace("\x00", "\ufffd")


def clean_subject(subject: str | None) -> str:
    """A subject on one line, as long as the field allows."""
    return " ".join((subject or "").replace("\x00", "\ufffd").split())[:200]


def has_text(body: str) -> bool:
    """Whether anything readable is left once the body is sanitized."""
    return bool(html_to_text(render_message_html(body)).strip())


def judge_message(
    conversation: Conversation,
    *,
    side: str,
    message_type: str,
    subject: str,
    body: str,
    attachments: tuple[FileFacts, ...],
    sent_at: datetime,
    policy: PolicyConfig,
    excluding: Message | None = None,
) -> Verdict:
    """The policy engine's verdict on a message in this conversation, sent at ``sent_at``,
    with the order and seller facts the rules need. ``excluding`` is a stored message
    judged again (a reviewer's edit): it does not count against itself."""
    seller = side == Side.SELLER
    reply_to_buyer = seller and answers_buyer(conversation, sent_at)
    facts = (
        seller_facts(conversation.seller, conversation.order, sent_at, excluding=excluding)
        if seller and seller_facts_apply(message_type, reply_to_buyer=reply_to_buyer)
        else SellerFacts()
    )
    return check_message(
        MessageDraft(
            sender_side=Side(side).value,
            message_type=message_type,
            body=body,
            subject=subject,
            attachments=attachments,
            order=order_facts(conversation.order),
            reply_to_buyer=reply_to_buyer,
            sent_at=sent_at,
            seller=facts,
        ),
        policy,
    )


def message_send(request: SendRequest) -> SendResult:
    """Store a checked message as its request says: delivered, held, undeliverable or
    blocked, with its files, in one transaction."""
    draft, conversation = request.draft, request.conversation
    status = STATUS_FOR_DELIVERY[request.delivery]
    # No savepoint of its own: inside a caller's transaction (an email's intake, an
    # Idempotency-Key) the send is part of it and fails with it; alone, it is one.
    with transaction.atomic(savepoint=False):
        # The conversation first, once, for whatever the message changes on it (the
        # sender's read marker, the last word, the reply clock): see threads/unread.py.
        locked = lock_conversation(conversation.pk) if status != Message.Status.BLOCKED else None
        message = Message.objects.create(
            conversation=conversation,
            seller_id=conversation.seller_id,
            sender=draft.sender,
            sender_side=draft.side,
            message_type=draft.message_type,
            subject=(request.verdict.subject or conversation.subject)[:200],
            subject_as_written=request.subject,
            body_text=request.body,
            body_html=request.verdict.body_html,
            via=draft.via,
            status=status,
            delivered_at=timezone.now() if status == Message.Status.DELIVERED else None,
            verdict=request.verdict.verdict,
            is_automatic=draft.automatic,
        )
        record_counted_change(message, was=None)
        # A blocked message's files stay uploads: the sender fixes the draft and sends them
        # again. Whatever else is stored, the sender has read the conversation (an
        # automatic reply is no sign of that).
        file_names = tuple(u.original_name for u in request.uploads) if locked is not None else ()
        publish(MessageStored(message, request.verdict, request.policy, file_names))
        sender_read = locked is not None and not draft.automatic
        if locked is not None:
            _attach_uploads(message, request.uploads)
        if status == Message.Status.DELIVERED:
            # The read marker goes with the last word, in its statement.
            message_became_delivered(message, locked, read_by_sender=sender_read)
        elif sender_read:
            conversation_mark_read(conversation=conversation, user=draft.sender, locked=locked)
        if status == Message.Status.UNDELIVERABLE:
            message_became_undeliverable(message)
        elif status == Message.Status.HELD:
            business_counts_changed(conversation.seller_id)
            publish(MessageHeld(message))
    return SendResult(message, request.verdict)


def _attach_uploads(message: Message, uploads: Sequence[Upload]) -> None:
    """Turn the sender's uploads into the message's attachments (same stored files)."""
    if not uploads:
        return
    attachments = Attachment.objects.bulk_create(
        Attachment(
            message=message,
            file=upload.file.name,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
        )
        for upload in uploads
    )
    queue_previews(attachments)
    Upload.objects.filter(pk__in=[u.pk for u in uploads]).delete()


def check_and_send(conversation: Conversation, draft: Draft) -> SendResult:
    """Both steps at once, for callers with nothing to decide between them."""
    return message_send(check_message_send(conversation, draft))


def message_send_for_order(*, order: Order, draft: Draft, topic: str = "") -> SendResult:
    """Send in the order's conversation, opening it on first contact.

    A conversation whose only message was blocked stays invisible: inboxes list
    conversations with a delivered message. ``topic``: what the buyer says it is about.
    """
    with transaction.atomic():
        conversation = conversation_for_order_get_or_create(order=order, started_by=draft.side)
        return _with_topic(check_and_send(conversation, draft), draft, topic)


def message_send_product_question(*, product: Product, draft: Draft, topic: str = "") -> SendResult:
    """A buyer's question about a product, in a new conversation with its seller."""
    with transaction.atomic():
        conversation = conversation_for_product_question_create(
            buyer=draft.sender, product=product, subject=draft.subject
        )
        return _with_topic(check_and_send(conversation, draft), draft, topic)


def _with_topic(result: SendResult, draft: Draft, topic: str) -> SendResult:
    """The buyer's topic labels and routes the conversation once their message got through:
    a blocked first message leaves an invisible conversation nobody should be given. The
    topic is the conversation's, not the message's: the policy knows two buyer types
    (buyer_inquiry, product_question) with the same rules, whatever the topic."""
    if topic and draft.side == Side.BUYER and not result.blocked:
        conversation_topic_choose(conversation=result.message.conversation, topic=topic)
    return result
