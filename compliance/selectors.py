"""Reads for pages: which message types are open for an order, a seller's standing."""

from __future__ import annotations

from django.utils import timezone

from compliance.availability import TypeOption, seller_type_options
from compliance.config import current_policy
from compliance.facts import order_facts, seller_facts
from compliance.models import SellerRestriction
from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.threads.models import Conversation
from orders.models import Order


def seller_type_options_for_order(
    order: Order, conversation: Conversation | None
) -> list[TypeOption]:
    from messagecenter.messaging.services import answers_buyer

    now = timezone.now()
    return seller_type_options(
        order=order_facts(order),
        seller=seller_facts(order.seller, order, now),
        reply_to_buyer=conversation is not None and answers_buyer(conversation, now),
        now=now,
        policy=current_policy(),
    )


def active_restrictions_for_member(user: User) -> list[SellerRestriction]:
    """Restrictions in force on the businesses the user works for (for the banner)."""
    ids = business_ids_for_member(user)
    if not ids:
        return []
    now = timezone.now()
    return list(
        SellerRestriction.objects.filter(
            business_id__in=ids, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now
        ).select_related("business")
    )
