"""The seller inbox's bulk actions: Sam selects rows and assigns, marks read, marks "no
response needed" or closes them in one post. Every id is checked through the access door
(another business's id: nothing done, an error that says so), at most BULK_AT_MOST at
once, and the queries grow by a small constant per row at most."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, ReadState
from messagecenter.threads.state_forms import BULK_AT_MOST
from messagecenter.threads.unread import recount as unread_recount
from tests import factories

URL = "conversation_bulk_actions"
_buyer_numbers = itertools.count()


def _waiting_conversations(seller, count: int) -> list[Conversation]:
    """Conversations of the seller in which a buyer asked and waits."""
    conversations = []
    for n in range(count):
        number = next(_buyer_numbers)
        buyer = factories.user(f"buyer{number}@example.com", f"Buyer {number}")
        order = factories.order(buyer=buyer, seller=seller, status="shipped")
        factories.buyer_message(order, f"Question {n}")
        conversations.append(Conversation.objects.get(order=order))
    return conversations


def _notice(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _post(client, action: str, conversations, **extra):
    return client.post(
        reverse(URL),
        {"action": action, "conversation": [str(c.pk) for c in conversations], **extra},
    )


@pytest.fixture
def three(northwind, sam) -> list[Conversation]:
    return _waiting_conversations(northwind, 3)


def test_the_inbox_has_a_checkbox_per_row_with_a_label_and_the_bulk_bar(client, three, sam):
    client.force_login(sam)
    page = client.get(reverse("seller_inbox")).content.decode()
    assert 'id="bulk-actions"' in page
    for conversation in three:
        assert f'id="select-{conversation.pk}"' in page
        assert f'for="select-{conversation.pk}"' in page
    assert "Select all on this page" in page
    assert "js/bulk-select.js" in page


def test_the_buyer_inbox_has_no_bulk_bar(client, three):
    client.force_login(three[0].buyer)
    page = client.get(reverse("buyer_inbox")).content.decode()
    assert 'id="bulk-actions"' not in page and "inbox__select" not in page


def test_bulk_close_closes_and_counts(client, three, sam):
    client.force_login(sam)
    response = _post(client, "close", three[:2], filter="awaiting")
    assert response["Location"] == reverse("seller_inbox") + "?filter=awaiting"
    assert "Closed 2 conversations." in _notice(response)
    closed = set(Conversation.objects.exclude(closed_at=None).values_list("pk", flat=True))
    assert closed == {three[0].pk, three[1].pk}
    again = _post(client, "close", three)
    assert "Closed 1 conversation. 2 were already so." in _notice(again)


def test_bulk_assign_to_a_teammate_and_back_to_nobody(client, three, sam, avery):
    client.force_login(sam)
    response = _post(client, "assign", three, assignee=str(avery.pk))
    assert "Assigned 3 conversations." in _notice(response)
    assert set(Conversation.objects.values_list("assigned_to", flat=True)) == {avery.pk}
    response = _post(client, "assign", three, assignee="")
    assert "Assigned 3 conversations." in _notice(response)
    assert set(Conversation.objects.values_list("assigned_to", flat=True)) == {None}


def test_bulk_assign_to_someone_off_the_team_changes_nothing(client, three, sam, maria):
    client.force_login(sam)
    response = _post(client, "assign", three, assignee=str(maria.pk))
    assert "Choose an active member of the team" in _notice(response)
    assert set(Conversation.objects.values_list("assigned_to", flat=True)) == {None}


def test_bulk_mark_read_reads_them_and_the_count_follows(client, three, sam, northwind):
    client.force_login(sam)
    assert unread_recount(sam.pk, northwind.pk) == 3
    response = _post(client, "mark-read", three)
    assert "Marked 3 conversations as read." in _notice(response)
    assert unread_recount(sam.pk, northwind.pk) == 0
    page = client.get(reverse("seller_inbox")).content.decode()
    assert 'aria-label="3 unread"' not in page
    assert ReadState.objects.filter(user=sam).count() == 3


def test_bulk_no_response_needed_skips_what_the_rule_does_not_allow(client, three, sam):
    answered = three[2]
    factories.reply(answered, sam, "seller", "Answered already.")
    overdue = three[1]
    Message.objects.filter(conversation=overdue).update(
        reply_due_at=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(sam)
    response = _post(client, "no-response-needed", three)
    notice = _notice(response)
    assert "Marked 1 conversation as needing no response." in notice
    assert "Skipped 2" in notice
    assert f"“{overdue.subject}”: the time to answer has passed: send a reply" in notice
    assert f"“{answered.subject}”: no buyer message is waiting" in notice
    marked = Message.objects.exclude(no_response_needed_at=None)
    assert [m.conversation_id for m in marked] == [three[0].pk]
    three[0].refresh_from_db()
    assert three[0].reply_due_at is None


def test_a_foreign_id_among_the_selected_changes_nothing(client, three, sam, cascade, maria):
    [theirs] = _waiting_conversations(cascade, 1)
    client.force_login(sam)
    response = _post(client, "close", [*three, theirs])
    assert "nothing was changed" in _notice(response)
    assert not Conversation.objects.exclude(closed_at=None).exists()


def test_a_missing_id_changes_nothing_either(client, three, sam):
    client.force_login(sam)
    response = client.post(
        reverse(URL), {"action": "close", "conversation": [str(three[0].pk), "987654321"]}
    )
    assert "nothing was changed" in _notice(response)
    assert not Conversation.objects.exclude(closed_at=None).exists()


@pytest.mark.parametrize(
    ("form", "explained"),
    [
        ({"action": "close"}, "Select at least one conversation first."),
        ({"conversation": ["1"]}, "Choose what to do with the selected conversations."),
        ({"action": "archive", "conversation": ["1"]}, "Select a valid choice"),
        ({"action": "close", "conversation": ["١"]}, "Ids are whole numbers"),
    ],
)
def test_bad_bulk_requests_are_explained(client, three, sam, form, explained):
    client.force_login(sam)
    response = client.post(reverse(URL), form)
    assert response.status_code == 302
    assert explained in _notice(response)
    assert not Conversation.objects.exclude(closed_at=None).exists()


def test_more_than_the_cap_is_refused_with_the_numbers(client, three, sam):
    client.force_login(sam)
    ids = [str(three[0].pk + n) for n in range(BULK_AT_MOST + 1)]
    response = client.post(reverse(URL), {"action": "close", "conversation": ids})
    expected = f"Select at most {BULK_AT_MOST} conversations at once; you selected {len(ids)}."
    assert expected in _notice(response)
    assert not Conversation.objects.exclude(closed_at=None).exists()


# Queries: each row costs at most this many more than the first; closing costs the same
# for any number of rows.
PER_ROW = {"close": 1, "mark-read": 4, "assign": 8, "no-response-needed": 12}


def _queries(client, action, conversations, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, action, conversations, **extra)
    assert response.status_code == 302
    assert "nothing was changed" not in _notice(response)
    return len(queries)


@pytest.mark.parametrize("action", sorted(PER_ROW))
def test_queries_grow_by_a_small_constant_per_row(client, northwind, sam, avery, action):
    few, many = _waiting_conversations(northwind, 2), _waiting_conversations(northwind, 8)
    extra = {"assignee": str(avery.pk)} if action == "assign" else {}
    client.force_login(sam)
    for_few = _queries(client, action, few, **extra)
    for_many = _queries(client, action, many, **extra)
    assert for_many - for_few <= PER_ROW[action] * (len(many) - len(few)), (for_few, for_many)
