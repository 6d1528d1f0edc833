"""Which message types a seller can send for an order now, and why not the others."""

from __future__ import annotations

from django.utils import timezone

from compliance.availability import TypeOption, seller_type_options
from compliance.config import current_policy
from messagecenter.messaging.facts import order_facts, seller_facts
from messagecenter.messaging.replies import answers_buyer
from messagecenter.threads.models import Conversation
from orders.models import Order


def seller_type_options_for_order(
    order: Order, conversation: Conversation | None
) -> list[TypeOption]:
    now = timezone.now()
    return seller_type_options(
        order=order_facts(order),
        seller=seller_facts(order.seller, order, now),
        reply_to_buyer=conversation is not None and answers_buyer(conversation, now),
        now=now,
        policy=current_policy(),
    )
