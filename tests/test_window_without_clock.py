"""Contact Buyer and Contact seller show the latest messages beside the form without the
reply clock card: their window reads the messages' own columns only (message_window
``clock=False``), the same on PostgreSQL and SQLite (in the SQLite lane)."""

from __future__ import annotations

from messagecenter.messaging.selectors import CLOCK_FIELDS, message_window
from messagecenter.threads.models import Conversation, Side
from tests import factories


def test_the_messages_are_read_without_the_reply_clock(
    sam, jordan, jordans_order, django_assert_num_queries
):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    conversation = Conversation.objects.get(order=jordans_order)
    factories.reply(conversation, sam, Side.SELLER, "It left on Monday.")
    for side in (Side.SELLER, Side.BUYER):
        with django_assert_num_queries(1):
            window = message_window(conversation, side, clock=False)

        question, answer = window.messages
        assert [question.body_html, answer.body_html] == [
            "<p>Where is my parcel?</p>",
            "<p>It left on Monday.</p>",
        ]
        assert set(CLOCK_FIELDS) <= answer.get_deferred_fields()
        if side == Side.SELLER:
            with django_assert_num_queries(0):  # the writers' names came with the rows
                assert answer.sender is not None and answer.sender.public_name == "Sam Carter"
                assert question.sender is not None and question.sender.pk == jordan.pk


def test_the_conversation_page_still_reads_the_clock(sam, jordans_order):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    conversation = Conversation.objects.get(order=jordans_order)

    [question] = message_window(conversation, Side.SELLER).messages

    assert not set(CLOCK_FIELDS) & question.get_deferred_fields()
    assert question.reply_due_at is not None
