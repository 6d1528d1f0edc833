"""The seller's facts (messaging/facts.py), one hand-written statement read at a send and
for Contact Buyer's message types, the same on PostgreSQL and SQLite (in the SQLite
lane)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from messagecenter.accounts.models import SellerBusiness
from messagecenter.messaging.facts import seller_facts
from messagecenter.messaging.models import Message
from tests import factories

REVIEW_ASK = (
    "How did the duvet cover work out for you? If you have a moment, you can leave a "
    "review of the product on its page."
)


def test_a_restriction_in_force_is_read_with_its_reason(northwind, jordans_order):
    until = timezone.now() + timedelta(days=3)
    SellerBusiness.objects.filter(pk=northwind.pk).update(
        proactive_restricted_until=until, proactive_restriction_reason="of repeated promotions"
    )

    facts = seller_facts(northwind, jordans_order, timezone.now())

    assert facts.restricted_until == until
    assert facts.restriction_reason == "of repeated promotions"


def test_an_ended_restriction_is_no_restriction(northwind, jordans_order):
    SellerBusiness.objects.filter(pk=northwind.pk).update(
        proactive_restricted_until=timezone.now() - timedelta(minutes=1),
        proactive_restriction_reason="of repeated promotions",
    )

    facts = seller_facts(northwind, jordans_order, timezone.now())

    assert facts.restricted_until is None
    assert facts.restriction_reason == ""


def test_a_review_request_already_sent_is_counted(sam, northwind, jordan):
    # delivered a week ago: a review request is in its window
    order = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=10)
    assert seller_facts(northwind, order, timezone.now()).review_requests_for_order == 0

    sent = factories.seller_message(order, sam, REVIEW_ASK, message_type="review_request")
    assert sent.status == Message.Status.DELIVERED
    now = timezone.now()

    assert seller_facts(northwind, order, now).review_requests_for_order == 1
    # a held request judged again is not its own earlier one
    assert seller_facts(northwind, order, now, excluding=sent).review_requests_for_order == 0
