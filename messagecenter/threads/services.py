"""Writes to conversations: opening them and recording that a user has read one."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from messagecenter.accounts.models import User
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.threads.count_writes import (
    conversation_read_record,
    conversation_unread_record,
)
from messagecenter.threads.events import ConversationOpened, ConversationRead
from messagecenter.threads.models import Conversation, ReadState, Side
from messagecenter.threads.unread import LockedConversation
from orders.models import Order, Product


def conversation_for_order_get_or_create(*, order: Order, started_by: Side) -> Conversation:
    """The order's conversation, created on first contact by either side."""
    existing = Conversation.objects.filter(order=order).first()
    if existing is not None:
        if existing.last_message_at is None and existing.started_by != started_by:
            # Nothing was ever delivered in it (a first message was blocked): whoever gets
            # the first message through is the one who started it.
            existing.started_by = started_by
            existing.save(update_fields=["started_by"])
        return existing
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                buyer=order.buyer,
                seller=order.seller,
                order=order,
                subject=f"Order {order.number}",
                started_by=started_by,
            )
            publish(ConversationOpened(conversation))
            return conversation
    except IntegrityError:
        # Both sides opened it at the same moment; the other request's row wins.
        return Conversation.objects.get(order=order)


def conversation_for_product_question_create(
    *, buyer: User, product: Product, subject: str
) -> Conversation:
    """A new conversation in which a buyer asks about a product before buying."""
    conversation = Conversation.objects.create(
        buyer=buyer,
        seller=product.seller,
        product=product,
        subject=subject or f"Question about {product.title}"[:200],
        started_by=Side.BUYER,
    )
    publish(ConversationOpened(conversation))
    return conversation


def conversation_mark_read(
    *, conversation: Conversation, user: User, locked: LockedConversation | None = None
) -> None:
    """The user opened the conversation now; their unread count follows. ``locked``: the
    conversation row as the caller's transaction locked it (a send), if it did."""
    conversation_read_record(conversation=conversation, user=user, locked=locked)
    publish(ConversationRead(conversation, user.pk))


def conversation_mark_unread(*, conversation: Conversation, user: User) -> None:
    """Make the conversation unread again for this user alone: it shows as unread in their
    inbox and counts on their badge until they open it again. The rest of the team and the
    buyer see no change."""
    if not conversation_unread_record(conversation=conversation, user=user):
        raise UserFacingError(
            _("The buyer has not written in this conversation yet, so it cannot be unread.")
        )


def conversation_open(*, conversation: Conversation, user: User) -> None:
    """The user opened the conversation's page: mark it read, unless it already is.

    Read means the user's marker is at or after the other side's last word, as loaded
    with the page's conversation. Then moving the marker to now changes no count and
    nothing a page shows, so one read replaces the locked write (lock, marker, counts); a
    message that lands meanwhile stays unread until the user sees it on a later visit.
    """
    # The access functions load the viewer's marker with the conversation (threads/access.py).
    if hasattr(conversation, "viewer_read_at"):
        read_at = conversation.viewer_read_at
    else:
        read_at = (
            ReadState.objects.filter(conversation_id=conversation.pk, user=user)
            .values_list("last_read_at", flat=True)
            .first()
        )
    # The other side's last word; a buyer who is also on the seller's team (tests) reads
    # both sides, so both must be covered.
    other_side = [conversation.last_buyer_message_at]
    if user.pk == conversation.buyer_id:
        other_side.append(conversation.last_seller_message_at)
    written = [at for at in other_side if at is not None]
    if not written or (read_at is not None and max(written) <= read_at):
        return
    conversation_read_record(conversation=conversation, user=user)
    publish(ConversationRead(conversation, user.pk))
