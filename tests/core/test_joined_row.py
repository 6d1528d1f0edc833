"""JoinedRow reads a row with its related rows as select_related does, from one statement
written once, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from django.db import connection

from messagecenter.core.joined_row import MAIN, JoinedRow
from messagecenter.threads.models import Conversation
from tests import factories

_CONVERSATION = JoinedRow(Conversation, ("buyer", "seller", "order", "product"))


def _read(conversation_id: int, extra: str = "") -> tuple[Conversation, list]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_CONVERSATION.columns}{extra} FROM {_CONVERSATION.tables}"
            f" WHERE {MAIN}.id = %s",
            [conversation_id],
        )
        row = cursor.fetchone()
    conversation, rest = _CONVERSATION.instance(row)
    assert isinstance(conversation, Conversation)
    return conversation, list(rest)


def test_the_row_and_its_related_rows_match_select_related(
    jordans_order, django_assert_num_queries
):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    expected = Conversation.objects.select_related("buyer", "seller", "order", "product").get(
        order=jordans_order
    )

    with django_assert_num_queries(1):
        conversation, rest = _read(expected.pk, f", {MAIN}.id + 1")
        seen = (conversation.buyer, conversation.seller, conversation.order, conversation.product)

    assert rest == [expected.pk + 1]
    for name in ("subject", "started_by", "created_at", "last_message_at", "reply_due_at"):
        assert getattr(conversation, name) == getattr(expected, name)
    assert seen == (expected.buyer, expected.seller, expected.order, None)
    assert conversation.buyer.email == expected.buyer.email
    assert conversation.buyer.is_active is True
    assert conversation.order is not None and conversation.order.number == jordans_order.number


def test_an_empty_foreign_key_is_cached_as_none(jordans_order, django_assert_num_queries):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    pk = Conversation.objects.get(order=jordans_order).pk
    Conversation.objects.filter(pk=pk).update(order=None)

    with django_assert_num_queries(1):
        conversation, _ = _read(pk)
        assert conversation.order is None
        assert conversation.product is None
