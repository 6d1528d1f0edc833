"""What the seller's workspace shows beside a conversation: the order it is about (items,
status, dates) and whether the buyer opted out of unsolicited messages, so an agent
answers without opening Manage Orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from messagecenter.messaging.replies import answers_buyer
from messagecenter.threads.models import Conversation
from orders.models import Order, OrderLine


@dataclass(frozen=True)
class OrderPanel:
    order: Order | None  # None: a question about a product, before any order
    lines: list[OrderLine]
    total: Decimal
    buyer_opted_out: bool
    # While the seller answers the buyer, the opt-out stops nothing (messaging/delivery.py).
    replies_delivered: bool


def order_panel(conversation: Conversation, now: datetime | None = None) -> OrderPanel:
    """The panel's facts: one query for the order's lines (the conversation was read with
    its order and buyer by its access check)."""
    order = conversation.order
    lines = list(OrderLine.objects.filter(order_id=order.pk)) if order is not None else []
    return OrderPanel(
        order=order,
        lines=lines,
        total=sum((line.subtotal for line in lines), Decimal("0.00")),
        buyer_opted_out=conversation.buyer.opted_out_of_unsolicited,
        replies_delivered=answers_buyer(conversation, now or timezone.now()),
    )
