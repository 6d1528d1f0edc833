"""Which conversation of a buyer-seller pair an email belongs to.

In order: the message it answers (In-Reply-To, then References, against the Message-IDs
recorded on the pair's messages and on the emails received for them); the order whose
number is in the subject, if it is an order between these two; the pair's most recent
conversation. An order of the pair with no conversation yet is returned as ``order`` so
the caller can open one for the buyer (a seller starts conversations with Contact Buyer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import F, QuerySet

from messagecenter.messaging.models import Message
from messagecenter.relay.models import InboundEmail, ProxyAddressPair
from messagecenter.threads.models import Conversation
from orders.models import Order

ORDER_NUMBER = re.compile(r"(?<!\d)(\d{3}-\d{7}-\d{7})(?!\d)")


@dataclass(frozen=True)
class ConversationMatch:
    conversation: Conversation | None
    order: Order | None = None  # an order of the pair named in the subject, not yet talked about
    how: str = ""  # "reply", "order", "latest" or "" when nothing matched


def conversation_for_email(
    pair: ProxyAddressPair, *, reply_to_ids: tuple[str, ...], subject: str
) -> ConversationMatch:
    # With its order: judging the message that comes in reads the order's facts.
    pair_conversations = Conversation.objects.select_related("order").filter(
        buyer_id=pair.buyer_id, seller_id=pair.seller_id
    )
    answered = _answered_conversation(pair_conversations, reply_to_ids)
    if answered is not None:
        return ConversationMatch(answered, how="reply")
    numbers = ORDER_NUMBER.findall(subject or "")
    if numbers:
        order = (
            Order.objects.filter(
                number__in=numbers, buyer_id=pair.buyer_id, seller_id=pair.seller_id
            )
            .order_by("-ordered_at")
            .first()
        )
        if order is not None:
            conversation = pair_conversations.filter(order=order).first()
            if conversation is not None:
                return ConversationMatch(conversation, how="order")
            return ConversationMatch(None, order=order)
    latest = pair_conversations.order_by(F("last_message_at").desc(nulls_last=True), "-id").first()
    return ConversationMatch(latest, how="latest" if latest else "")


def _answered_conversation(
    conversations: QuerySet[Conversation], reply_to_ids: tuple[str, ...]
) -> Conversation | None:
    if not reply_to_ids:
        return None
    # Stored with or without the angle brackets, depending on who wrote them.
    candidates = {*reply_to_ids, *(i.strip("<>") for i in reply_to_ids)}
    by_message = dict(
        Message.objects.filter(
            conversation__in=conversations, email_message_id__in=candidates
        ).values_list("email_message_id", "conversation_id")
    )
    by_inbound = dict(
        InboundEmail.objects.filter(
            header_message_id__in=candidates, message__conversation__in=conversations
        ).values_list("header_message_id", "message__conversation_id")
    )
    for message_id in reply_to_ids:  # the most direct answer first
        for form in (message_id, message_id.strip("<>")):
            conversation_id = by_message.get(form) or by_inbound.get(form)
            if conversation_id is not None:
                return conversations.get(pk=conversation_id)
    return None
