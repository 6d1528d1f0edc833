"""Which conversation an email joins when its clues disagree: the matching statement
(relay.matching) ranks every candidate, the most direct clue first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from messagecenter.messaging.models import Message
from messagecenter.relay.addresses import proxy_pair_for
from messagecenter.relay.matching import ConversationMatch, conversation_for_email
from messagecenter.relay.models import InboundEmail
from orders.models import Order
from tests import factories


@pytest.fixture
def pair(jordan, northwind):
    return proxy_pair_for(jordan, northwind)


@pytest.fixture
def conversations(jordan, northwind, jordans_order):
    """Three conversations of the pair, oldest first, each with its order."""
    found = [factories.buyer_message(jordans_order, "Where is the duvet cover?").conversation]
    for title in ("Linen sheets", "Pillow cases"):
        order = factories.order(buyer=jordan, seller=northwind, title=title)
        found.append(factories.buyer_message(order, f"Where are the {title}?").conversation)
    return found


def _relayed_as(conversation, message_id: str) -> None:
    Message.objects.filter(conversation=conversation).update(email_message_id=message_id)


def test_in_reply_to_beats_references_and_the_subject(pair, conversations):
    first, second, third = conversations
    _relayed_as(first, "<first@relay.example>")
    _relayed_as(second, "second@relay.example")  # stored without brackets

    match = conversation_for_email(
        pair,
        reply_to_ids=("<second@relay.example>", "<first@relay.example>"),
        subject=f"Re: Order {third.order.number}",
    )

    assert (match.conversation, match.how) == (second, "reply")
    assert match.conversation.order == second.order  # read with it: no query later


def test_the_relays_copy_names_the_conversation_before_the_intake_log(pair, conversations):
    first, second, _ = conversations
    _relayed_as(first, "<same@mail.example>")
    InboundEmail.objects.create(
        header_message_id="<same@mail.example>",
        recipient="x@relay.marketplace.example",
        outcome=InboundEmail.Outcome.ACCEPTED,
        message=second.messages.get(),
        size=1,
    )

    match = conversation_for_email(pair, reply_to_ids=("<same@mail.example>",), subject="")

    assert match.conversation == first


def test_the_newest_order_named_in_the_subject_decides(pair, conversations):
    first, second, _ = conversations
    Order.objects.filter(pk=first.order.pk).update(
        ordered_at=second.order.ordered_at + timedelta(days=1)
    )

    match = conversation_for_email(
        pair, reply_to_ids=("<unknown@x>",), subject=f"{second.order.number} {first.order.number}"
    )

    assert (match.conversation, match.how) == (first, "order")


def test_a_named_order_without_a_conversation_comes_before_the_latest(
    pair, jordan, northwind, conversations
):
    quiet_order = factories.order(buyer=jordan, seller=northwind, title="Rug")

    match = conversation_for_email(pair, reply_to_ids=(), subject=f"Order {quiet_order.number}")

    assert match.conversation is None and match.order == quiet_order


def test_without_a_clue_the_latest_conversation_and_without_any_nothing(
    pair, jordan, northwind, conversations
):
    assert (
        conversation_for_email(pair, reply_to_ids=(), subject="Hello").conversation
        == (conversations[-1])
    )
    other_pair = proxy_pair_for(factories.user("priya@example.com", "Priya"), northwind)
    assert conversation_for_email(other_pair, reply_to_ids=(), subject="") == (
        ConversationMatch(None)
    )
