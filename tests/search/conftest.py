"""The search story: Jordan and Northwind (Sam, the owner, and Avery, an agent), Priya and
Cascade (Maria), and Morgan the administrator. Each conversation holds words found
nowhere else, so a result names whose it is."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from messagecenter.api.tokens import api_token_create
from messagecenter.messaging.models import Message
from tests import factories

REVIEW_ASK = (
    "How did the duvet cover work out for you? If you have a moment, you can leave a "
    "review of the product on its page. Marmalade."
)


@pytest.fixture
def priyas_order(db, priya, cascade):
    return factories.order(buyer=priya, seller=cascade, title="Alpine Tent", status="shipped")


@pytest.fixture
def story(jordans_order, priyas_order, jordan, priya, sam, avery, maria):
    """Delivered, held and blocked messages on both sides of two conversations."""
    jordans = factories.buyer_message(jordans_order, "Is the aubergine cushion in stock?")
    sams = factories.reply(
        jordans.conversation, sam, "seller", "The aubergine one ships on Tuesday."
    )
    delivered_order = factories.order(
        buyer=jordan, seller=jordans_order.seller, status="delivered", days_ago=10
    )
    held = factories.seller_message(
        delivered_order,
        sam,
        REVIEW_ASK,
        message_type="review_request",
        subject="[Important] Your cover",
    )
    blocked = factories.seller_message(
        jordans_order, sam, "Zeppelin deals at https://cheap-deals.example"
    )
    priyas = factories.buyer_message(priyas_order, "My aubergine tent arrived torn.")
    marias = factories.reply(priyas.conversation, maria, "seller", "Sorry: a new aubergine tent.")
    assert held.status == Message.Status.HELD and blocked.status == Message.Status.BLOCKED
    return {
        "jordans": jordans,
        "sams": sams,
        "held": held,
        "blocked": blocked,
        "priyas": priyas,
        "marias": marias,
    }


@pytest.fixture
def api_for():
    def client_for(user) -> APIClient:
        api = APIClient()
        token = api_token_create(user=user, name="Search").key
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return api

    return client_for
