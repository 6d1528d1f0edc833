"""Which message types a seller can send for an order now, why not the others, and which
of the open ones would not be delivered because the buyer opted out."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.availability import TypeOption, seller_type_options
from compliance.config import current_policy
from messagecenter.messaging.delivery import opt_out_stops
from messagecenter.messaging.facts import order_facts, seller_facts
from messagecenter.messaging.replies import answers_buyer
from messagecenter.threads.models import Conversation, Side
from orders.models import Order


def seller_type_options_for_order(
    order: Order, conversation: Conversation | None
) -> list[TypeOption]:
    now = timezone.now()
    options = seller_type_options(
        order=order_facts(order),
        seller=seller_facts(order.seller, order, now),
        reply_to_buyer=conversation is not None and answers_buyer(conversation, now),
        now=now,
        policy=current_policy(),
    )
    # The delivery decision's own opt-out question, asked of each type before anything is
    # written: a first message opens a conversation the seller starts.
    asked = conversation or Conversation(
        buyer=order.buyer, seller=order.seller, order=order, started_by=Side.SELLER
    )
    note = _(
        "Not delivered to this buyer: they have opted out of messages of this type. A "
        "message of this type is kept in the conversation, marked “Not delivered”."
    )
    return [
        replace(option, not_delivered=note)
        if opt_out_stops(asked, side=Side.SELLER, message_type=option.id, subject="", now=now)
        else option
        for option in options
    ]
