"""The team's state of a conversation (threads/state.py): Sam closes a conversation and it
leaves Awaiting reply (the kept counts and the navigation agree), Jordan writes again and
it is back, whichever way the message comes; snoozing takes it out of the lists until the
time chosen, never past the reply deadline unconfirmed; marking unread moves Sam's kept
unread count and no one else's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.business_counts import BusinessCounts, business_counts, recount
from messagecenter.relay.inbound import receive_email
from messagecenter.threads.models import Conversation, ConversationStateChange, UnreadCount
from messagecenter.threads.selectors import InboxFilter, seller_inbox
from messagecenter.threads.services import conversation_mark_unread
from messagecenter.threads.state import (
    SnoozePastDeadline,
    conversation_close,
    conversation_reopen,
    conversation_snooze,
    conversation_wake,
)
from messagecenter.threads.unread import recount as unread_recount
from tests import factories
from tests.relay.emails import email_from, seller_address


@pytest.fixture
def waiting(jordans_order, sam) -> Conversation:
    """Jordan asked; nobody answered yet: the reply clock runs."""
    factories.buyer_message(jordans_order, "Where is my parcel?")
    return Conversation.objects.get(order=jordans_order)


@pytest.fixture
def answered(waiting, sam) -> Conversation:
    factories.reply(waiting, sam, "seller", "It ships today.")
    waiting.refresh_from_db()
    return waiting


def _listed(user, inbox_filter, now=None) -> set[int]:
    return {c.pk for c in seller_inbox(user, inbox_filter, now=now)}


def _tabs_and_badge(client, user) -> tuple[dict[str, int], int]:
    """The seller inbox's tab numbers and the navigation's overdue badge, as shown."""
    client.force_login(user)
    page = client.get(reverse("seller_inbox")).content.decode()
    shown = re.findall(r'>([A-Z][a-z ]+) <span class="tabs__count">(\d+)</span></a>', page)
    tabs = {label: int(n) for label, n in shown}
    overdue = re.search(r'<span class="badge badge--overdue">(\d+) overdue</span>', page)
    return tabs, int(overdue.group(1)) if overdue else 0


def _clock(counts: BusinessCounts) -> tuple[int, int]:
    """The counts the reply clock's tabs and badges show: awaiting, overdue."""
    return counts.awaiting, counts.overdue


def _counts_right(business) -> None:
    assert (
        business_counts([business.pk]) == recount([business.pk], timezone.now())[business.pk].counts
    )


def test_closing_takes_a_waiting_conversation_out_of_awaiting_and_its_counts(
    client, waiting, sam, avery, northwind
):
    tabs, _ = _tabs_and_badge(client, sam)
    assert tabs["Awaiting reply"] == 1
    conversation_close(conversation=waiting, by=sam)

    waiting.refresh_from_db()
    assert waiting.closed_at is not None
    # The clock keeps running: closing is no way round the 24 hours.
    assert waiting.reply_due_at is not None
    assert waiting.pk not in _listed(avery, InboxFilter.AWAITING_REPLY)
    assert waiting.pk in _listed(avery, InboxFilter.CLOSED)
    assert waiting.pk in _listed(avery, InboxFilter.ALL)
    assert _clock(business_counts([northwind.pk])) == (0, 0)
    # Still in All, and now in Closed.
    counted = business_counts([northwind.pk])
    assert (counted.conversations, counted.closed) == (1, 1)
    _counts_right(northwind)
    tabs, _ = _tabs_and_badge(client, avery)
    assert "Awaiting reply" not in tabs
    [change] = ConversationStateChange.objects.filter(conversation=waiting)
    assert (change.action, change.by, change.by_buyer_message) == ("closed", sam, False)


def test_an_overdue_conversation_closed_leaves_the_overdue_badge_and_tab(
    client, waiting, sam, northwind
):
    later = timezone.now() + timedelta(hours=25)
    assert _clock(business_counts([northwind.pk], later)) == (1, 1)
    conversation_close(conversation=waiting, by=sam)
    assert _clock(business_counts([northwind.pk], later)) == (0, 0)
    assert waiting.pk not in _listed(sam, InboxFilter.OVERDUE, now=later)
    assert _clock(recount([northwind.pk], later)[northwind.pk].counts) == (0, 0)


def test_reopening_brings_it_back_and_is_recorded(waiting, sam, avery, northwind):
    conversation_close(conversation=waiting, by=sam)
    conversation_reopen(conversation=waiting, by=avery)
    waiting.refresh_from_db()
    assert waiting.closed_at is None
    assert waiting.pk in _listed(sam, InboxFilter.AWAITING_REPLY)
    assert _clock(business_counts([northwind.pk])) == (1, 0)
    actions = list(
        ConversationStateChange.objects.filter(conversation=waiting).values_list("action", "by")
    )
    assert actions == [("reopened", avery.pk), ("closed", sam.pk)]


def test_closing_twice_or_reopening_an_open_one_says_so(waiting, sam):
    with pytest.raises(UserFacingError, match="open already"):
        conversation_reopen(conversation=waiting, by=sam)
    conversation_close(conversation=waiting, by=sam)
    with pytest.raises(UserFacingError, match="closed already"):
        conversation_close(conversation=waiting, by=sam)


def test_only_the_sellers_team_changes_the_state(waiting, maria, jordan):
    for outsider in (maria, jordan):
        with pytest.raises(UserFacingError):
            conversation_close(conversation=waiting, by=outsider)
    waiting.refresh_from_db()
    assert waiting.closed_at is None


def _reopened_by_buyer(conversation) -> None:
    conversation.refresh_from_db()
    assert conversation.closed_at is None
    change = ConversationStateChange.objects.filter(conversation=conversation).first()
    assert change is not None
    assert (change.action, change.by, change.by_buyer_message) == ("reopened", None, True)


def test_a_buyer_message_from_the_web_reopens(client, answered, sam, jordan, northwind):
    conversation_close(conversation=answered, by=sam)
    client.force_login(jordan)
    response = client.post(
        reverse("buyer_conversation", args=[answered.pk]), {"body": "One more question."}
    )
    assert response.status_code == 302
    _reopened_by_buyer(answered)
    assert answered.pk in _listed(sam, InboxFilter.AWAITING_REPLY)
    assert _clock(business_counts([northwind.pk])) == (1, 0)


def test_a_buyer_message_by_email_reopens(
    django_capture_on_commit_callbacks, answered, sam, jordan, northwind
):
    conversation_close(conversation=answered, by=sam)
    to_seller = seller_address(jordan, northwind)
    with django_capture_on_commit_callbacks(execute=True):
        [result] = receive_email(
            email_from("jordan@example.com", to_seller, text="It has not arrived."),
            recipients=[to_seller],
        )
    assert result.message is not None
    _reopened_by_buyer(answered)
    assert _clock(business_counts([northwind.pk])) == (1, 0)


def test_a_buyer_message_through_the_send_service_reopens(answered, jordans_order, sam):
    """The service the API and every other way in send through."""
    conversation_close(conversation=answered, by=sam)
    factories.buyer_message(jordans_order, "Hello again")
    _reopened_by_buyer(answered)


def test_an_out_of_office_answer_from_the_buyer_does_not_reopen(
    django_capture_on_commit_callbacks, answered, sam, jordan, northwind
):
    conversation_close(conversation=answered, by=sam)
    to_seller = seller_address(jordan, northwind)
    with django_capture_on_commit_callbacks(execute=True):
        receive_email(
            email_from(
                "jordan@example.com",
                to_seller,
                text="I am away.",
                headers={"Auto-Submitted": "auto-replied"},
            ),
            recipients=[to_seller],
        )
    answered.refresh_from_db()
    assert answered.closed_at is not None


def test_the_sellers_own_message_does_not_reopen(answered, sam):
    conversation_close(conversation=answered, by=sam)
    factories.reply(answered, sam, "seller", "One more thing from us.")
    answered.refresh_from_db()
    assert answered.closed_at is not None


# Snooze


def test_a_snoozed_conversation_leaves_the_lists_and_comes_back_by_itself(answered, sam, northwind):
    now = timezone.now()
    until = now + timedelta(hours=3)
    conversation_snooze(conversation=answered, by=sam, until=until, now=now)
    for inbox_filter in (InboxFilter.ALL, InboxFilter.ASSIGNED_TO_ME, InboxFilter.UNASSIGNED):
        assert answered.pk not in _listed(sam, inbox_filter, now=now)
    assert answered.pk in _listed(sam, InboxFilter.SNOOZED, now=now)
    after = until + timedelta(minutes=1)
    assert answered.pk in _listed(sam, InboxFilter.ALL, now=after)
    assert answered.pk not in _listed(sam, InboxFilter.SNOOZED, now=after)
    [change] = ConversationStateChange.objects.filter(conversation=answered)
    assert (change.action, change.snoozed_until) == ("snoozed", until)


def test_a_snoozed_waiting_conversation_is_counted_again_when_it_wakes(waiting, sam, northwind):
    now = timezone.now()
    until = now + timedelta(hours=2)
    conversation_snooze(conversation=waiting, by=sam, until=until, now=now)
    assert _clock(business_counts([northwind.pk], now)) == (0, 0)
    # Out of All until it wakes, and in Snoozed.
    counted = business_counts([northwind.pk], now)
    assert (counted.conversations, counted.snoozed) == (0, 1)
    # The kept entry is good only until the snooze ends.
    woken = business_counts([northwind.pk], until + timedelta(seconds=1))
    assert (_clock(woken), woken.conversations, woken.snoozed) == ((1, 0), 1, 0)
    assert waiting.pk in _listed(sam, InboxFilter.AWAITING_REPLY, now=until + timedelta(seconds=1))


def test_a_buyer_message_wakes_a_snoozed_conversation(answered, jordans_order, sam):
    conversation_snooze(conversation=answered, by=sam, until=timezone.now() + timedelta(days=2))
    factories.buyer_message(jordans_order, "Any news?")
    answered.refresh_from_db()
    assert answered.snoozed_until is None
    assert answered.pk in _listed(sam, InboxFilter.AWAITING_REPLY)
    change = ConversationStateChange.objects.filter(conversation=answered).first()
    assert change is not None and (change.action, change.by_buyer_message) == ("woken", True)


def test_snoozing_past_the_reply_deadline_is_refused_unless_confirmed(waiting, sam):
    assert waiting.reply_due_at is not None
    past = waiting.reply_due_at + timedelta(hours=1)
    with pytest.raises(SnoozePastDeadline) as refused:
        conversation_snooze(conversation=waiting, by=sam, until=past)
    assert refused.value.due_at == waiting.reply_due_at
    waiting.refresh_from_db()
    assert waiting.snoozed_until is None
    conversation_snooze(conversation=waiting, by=sam, until=past, past_deadline_confirmed=True)
    waiting.refresh_from_db()
    assert waiting.snoozed_until == past
    # Before the deadline needs no confirmation.
    conversation_wake(conversation=waiting, by=sam)
    conversation_snooze(
        conversation=waiting, by=sam, until=waiting.reply_due_at - timedelta(hours=1)
    )


def test_snoozing_needs_a_sensible_time_and_an_open_conversation(answered, sam):
    now = timezone.now()
    with pytest.raises(UserFacingError, match="future"):
        conversation_snooze(conversation=answered, by=sam, until=now - timedelta(minutes=1))
    with pytest.raises(UserFacingError, match="90 days"):
        conversation_snooze(conversation=answered, by=sam, until=now + timedelta(days=91))
    conversation_close(conversation=answered, by=sam)
    with pytest.raises(UserFacingError, match="Reopen"):
        conversation_snooze(conversation=answered, by=sam, until=now + timedelta(hours=1))


def test_closing_ends_a_snooze(answered, sam):
    conversation_snooze(conversation=answered, by=sam, until=timezone.now() + timedelta(hours=1))
    conversation_close(conversation=answered, by=sam)
    answered.refresh_from_db()
    assert answered.snoozed_until is None
    assert answered.pk in _listed(sam, InboxFilter.CLOSED)


# Mark unread


def _kept_unread(user, business) -> int:
    return UnreadCount.objects.get(user=user, business=business).unread


def test_mark_unread_moves_the_users_count_and_no_one_elses(client, waiting, sam, avery, northwind):
    for person in (sam, avery):
        client.force_login(person)
        client.get(reverse("seller_inbox"))  # the navigation keeps the count (1) from now on
        client.get(reverse("seller_conversation", args=[waiting.pk]))
    assert _kept_unread(sam, northwind) == _kept_unread(avery, northwind) == 0

    conversation_mark_unread(conversation=waiting, user=sam)

    assert _kept_unread(sam, northwind) == 1 == unread_recount(sam.pk, northwind.pk)
    assert _kept_unread(avery, northwind) == 0 == unread_recount(avery.pk, northwind.pk)
    assert waiting.pk in _listed(sam, InboxFilter.UNREAD)
    assert waiting.pk not in _listed(avery, InboxFilter.UNREAD)
    client.force_login(sam)
    page = client.get(reverse("seller_inbox")).content.decode()
    assert 'aria-label="1 unread"' in page
    # Marking it unread again changes nothing; opening it reads it.
    conversation_mark_unread(conversation=waiting, user=sam)
    assert _kept_unread(sam, northwind) == 1
    client.get(reverse("seller_conversation", args=[waiting.pk]))
    assert _kept_unread(sam, northwind) == 0 == unread_recount(sam.pk, northwind.pk)


def test_mark_unread_of_a_conversation_never_opened_keeps_the_count(waiting, sam, northwind):
    client_count = unread_recount(sam.pk, northwind.pk)
    conversation_mark_unread(conversation=waiting, user=sam)
    assert unread_recount(sam.pk, northwind.pk) == client_count == 1


def test_a_conversation_the_buyer_never_wrote_in_cannot_be_unread(jordans_order, sam):
    factories.seller_message(jordans_order, sam)
    conversation = Conversation.objects.get(order=jordans_order)
    with pytest.raises(UserFacingError, match="not written"):
        conversation_mark_unread(conversation=conversation, user=sam)
