"""Two messages sent in one conversation at the same moment: the second waits for the first
one's lock on the conversation instead of deadlocking, sees what it committed, and the
unread counts, the reply clock and the performance rollup end as a recount says.

Each send runs in its own thread and database connection, and the first holds its
transaction open until the second is waiting, so they overlap every time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from messagecenter.clock.rollup import rollup_differences
from messagecenter.messaging.models import CLOCK_RUNNING, Message
from messagecenter.messaging.replies import reply_draft
from messagecenter.messaging.sending import check_and_send
from messagecenter.threads.models import Conversation, Side, UnreadCount
from messagecenter.threads.unread import unread_count_repair
from messagecenter.threads.unread_repair import unread_counts_check
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql("two sends at once in two threads: the row lock and waiting"),
]

# Long enough for the second send to reach the conversation's lock and wait there.
HOLD_SECONDS = 0.5


def _send(conversation_id: int, sender, side: Side, body: str) -> Message:
    conversation = Conversation.objects.select_related("buyer", "seller", "order").get(
        pk=conversation_id
    )
    draft = reply_draft(conversation, sender=sender, side=side, body=body)
    return check_and_send(conversation, draft).message


def _overlapping(first: Callable[[], Message], second: Callable[[], Message]) -> list[Message]:
    """Run `first` in a transaction kept open until `second` has started waiting for it."""
    first_sent = threading.Event()
    sent: dict[str, Message] = {}
    errors: list[BaseException] = []

    def run_first() -> None:
        try:
            with transaction.atomic():
                sent["first"] = first()
                first_sent.set()
                time.sleep(HOLD_SECONDS)
        except BaseException as error:
            errors.append(error)
            first_sent.set()
        finally:
            connections.close_all()

    def run_second() -> None:
        try:
            first_sent.wait(timeout=10)
            sent["second"] = second()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return [sent["first"], sent["second"]]


def _assert_counts_and_clock_right(conversation_id: int) -> None:
    assert unread_counts_check() == []
    with connection.cursor() as cursor:
        assert rollup_differences(cursor) == []
    conversation = Conversation.objects.get(pk=conversation_id)
    waiting = Message.objects.filter(CLOCK_RUNNING, conversation_id=conversation_id)
    assert conversation.reply_due_at == min((m.reply_due_at for m in waiting), default=None)


@pytest.fixture
def asked(sam, avery, jordan, northwind, jordans_order):
    """Jordan asked; every count of the conversation's people is kept in a row."""
    question = factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")
    for user, business in ((sam, northwind), (avery, northwind), (jordan, None)):
        unread_count_repair(user.pk, business.pk if business else None)
    return question


def test_two_members_answer_at_once_and_the_question_is_answered_once(asked, sam, avery, jordan):
    conversation_id = asked.conversation_id

    first, second = _overlapping(
        lambda: _send(conversation_id, sam, Side.SELLER, "Yes, we do."),
        lambda: _send(conversation_id, avery, Side.SELLER, "Yes, on Thursdays."),
    )

    asked.refresh_from_db()
    assert asked.answered_by_message_id == first.pk
    assert second.delivered_at > first.delivered_at
    assert UnreadCount.objects.get(user=jordan, business=None).unread == 1
    _assert_counts_and_clock_right(conversation_id)


def test_a_question_committed_while_a_reply_waits_is_answered_by_it(asked, sam, jordan, northwind):
    conversation_id = asked.conversation_id

    question, reply = _overlapping(
        lambda: _send(conversation_id, jordan, Side.BUYER, "And on Thursdays?"),
        lambda: _send(conversation_id, sam, Side.SELLER, "Yes, on Thursdays too."),
    )

    question.refresh_from_db()
    asked.refresh_from_db()
    assert question.answered_by_message_id == reply.pk == asked.answered_by_message_id
    assert Conversation.objects.get(pk=conversation_id).reply_due_at is None
    assert UnreadCount.objects.get(user=sam, business=northwind).unread == 0
    _assert_counts_and_clock_right(conversation_id)


def test_a_reply_committed_while_a_question_waits_leaves_the_question_waiting(
    asked, sam, jordan, avery, northwind
):
    conversation_id = asked.conversation_id

    reply, question = _overlapping(
        lambda: _send(conversation_id, sam, Side.SELLER, "Yes, we do."),
        lambda: _send(conversation_id, jordan, Side.BUYER, "Great, and on Thursdays?"),
    )

    question.refresh_from_db()
    asked.refresh_from_db()
    assert asked.answered_by_message_id == reply.pk
    assert question.answered_at is None
    assert Conversation.objects.get(pk=conversation_id).reply_due_at == question.reply_due_at
    assert UnreadCount.objects.get(user=avery, business=northwind).unread == 1
    assert UnreadCount.objects.get(user=sam, business=northwind).unread == 1
    _assert_counts_and_clock_right(conversation_id)
