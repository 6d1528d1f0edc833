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

from django.db.models import F, Q, QuerySet, Subquery

from messagecenter.relay.models import ProxyAddressPair
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
    pair_conversations = Conversation.objects.filter(
        buyer_id=pair.buyer_id, seller_id=pair.seller_id
    ).select_related("order")
    answered = _answered_conversation(pair_conversations, reply_to_ids)
    if answered is not None:
        return ConversationMatch(answered, how="reply")
    numbers = ORDER_NUMBER.findall(subject or "")
    if numbers:
        orders = Order.objects.filter(
            number__in=numbers, buyer_id=pair.buyer_id, seller_id=pair.seller_id
        ).order_by("-ordered_at")
        # The newest order named and its conversation in one statement; the order alone
        # is read only when it has none yet.
        conversation = pair_conversations.filter(order=Subquery(orders.values("pk")[:1])).first()
        if conversation is not None:
            return ConversationMatch(conversation, how="order")
        order = orders.first()
        if order is not None:
            return ConversationMatch(None, order=order)
    latest = pair_conversations.order_by(F("last_message_at").desc(nulls_last=True), "-id").first()
    return ConversationMatch(latest, how="latest" if latest else "")


def _answered_conversation(
    conversations: QuerySet[Conversation], reply_to_ids: tuple[str, ...]
) -> Conversation | None:
    if not reply_to_ids:
        return None
    # Stored with or without the angle brackets, depending on who wrote them; on the
    # relay's own copies (Message) or in the intake log (InboundEmail): the conversations
    # that hold either come in one statement, a row per matching message and log entry.
    candidates = {*reply_to_ids, *(i.strip("<>") for i in reply_to_ids)}
    matches = conversations.filter(
        Q(messages__email_message_id__in=candidates)
        | Q(messages__inbound_emails__header_message_id__in=candidates)
    ).annotate(
        on_message=F("messages__email_message_id"),
        in_the_log=F("messages__inbound_emails__header_message_id"),
    )
    on_messages: dict[str, Conversation] = {}
    in_the_log: dict[str, Conversation] = {}
    for conversation in matches:
        on_messages.setdefault(conversation.on_message, conversation)
        if conversation.in_the_log:
            in_the_log.setdefault(conversation.in_the_log, conversation)
    for message_id in reply_to_ids:  # the most direct answer first
        for form in (message_id, message_id.strip("<>")):
            # The relay's own copy names the conversation first, the log after.
            found = on_messages.get(form) or in_the_log.get(form)
            if found is not None:
                return found
    return None
