"""The unread counts the navigation shows are kept, not recounted: every write that changes
one (a message delivered, a conversation opened, by the web, the API or review) leaves the
kept count equal to a recount, and repair_counts finds and fixes a wrong one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.models import PolicySettings, RuleSetting
from messagecenter.accounts.models import Membership
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.api.tokens import api_token_create
from messagecenter.messaging.delivery import message_deliver
from messagecenter.messaging.models import Message
from messagecenter.moderation.review import review_approve
from messagecenter.threads.models import Conversation, ReadState, Side, UnreadCount
from messagecenter.threads.selectors import seller_unread_count
from messagecenter.threads.unread import (
    NavigationUnread,
    navigation_unread,
    recount,
    unread_count_repair,
)
from messagecenter.threads.unread_repair import unread_counts_check
from tests import factories


def _kept(user, business=None) -> int:
    return UnreadCount.objects.get(user=user, business=business).unread


def _nav_badge(client, user) -> int:
    """The unread number in the page header, as the user sees it (0: no badge)."""
    client.force_login(user)
    page = client.get(reverse("home"), follow=True).content.decode()
    found = re.search(r'aria-label="(\d+) unread"', page)
    return int(found.group(1)) if found else 0


def _assert_right(*users_and_scopes) -> None:
    """Each kept count equals a recount, and nothing anywhere is wrong."""
    for user, business in users_and_scopes:
        assert _kept(user, business) == recount(user.pk, business.pk if business else None)
    assert unread_counts_check() == []


@pytest.fixture
def counted(sam, avery, jordan, northwind):
    """Rows exist for both Northwind members and the buyer, as after the migration."""
    unread_count_repair(sam.pk, northwind.pk)
    unread_count_repair(avery.pk, northwind.pk)
    unread_count_repair(jordan.pk, None)
    return [(sam, northwind), (avery, northwind), (jordan, None)]


def _conversation(order) -> Conversation:
    return Conversation.objects.get(order=order)


def test_a_buyer_message_is_unread_for_every_member_until_each_opens_it(
    client, counted, sam, avery, jordan, northwind, jordans_order
):
    factories.buyer_message(jordans_order)
    factories.buyer_message(jordans_order, "Any news?")

    assert (_kept(sam, northwind), _kept(avery, northwind), _kept(jordan)) == (1, 1, 0)
    _assert_right(*counted)

    client.force_login(sam)
    conversation = _conversation(jordans_order)
    client.get(reverse("seller_conversation", args=[conversation.pk]))

    assert (_kept(sam, northwind), _kept(avery, northwind)) == (0, 1)
    assert _nav_badge(client, sam) == 0
    assert _nav_badge(client, avery) == 1
    _assert_right(*counted)


def test_a_seller_reply_reads_the_conversation_for_the_sender_and_is_unread_for_the_buyer(
    client, counted, sam, avery, jordan, northwind, jordans_order
):
    factories.buyer_message(jordans_order)
    factories.reply(_conversation(jordans_order), avery, Side.SELLER, "It ships today.")

    assert (_kept(sam, northwind), _kept(avery, northwind), _kept(jordan)) == (1, 0, 1)
    assert _nav_badge(client, jordan) == 1
    _assert_right(*counted)

    client.get(reverse("buyer_conversation", args=[_conversation(jordans_order).pk]))

    assert _kept(jordan) == 0
    assert _nav_badge(client, jordan) == 0
    _assert_right(*counted)


def test_the_api_marks_read_and_the_count_follows(counted, sam, northwind, jordans_order):
    factories.buyer_message(jordans_order)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=sam, name='Desk').key}")

    response = api.post(f"/api/v1/conversations/{_conversation(jordans_order).pk}/read")

    assert response.status_code == 200
    assert _kept(sam, northwind) == 0
    _assert_right(*counted)


def test_a_held_message_counts_only_once_a_reviewer_approves_it(
    counted, sam, jordan, morgan, jordans_order
):
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    held = factories.seller_message(
        jordans_order,
        sam,
        "Your licence key is ABCD-1234. " + "Setup notes follow. " * 30,
        message_type="digital_access_key",
        subject="Your licence",
    )
    assert held.status == Message.Status.HELD
    assert _kept(jordan) == 0
    _assert_right(*counted)

    review_approve(message_id=held.pk, reviewer=morgan)

    assert _kept(jordan) == 1
    _assert_right(*counted)


def test_a_blocked_message_and_an_automatic_reply_change_no_count(
    counted, sam, jordan, jordans_order
):
    factories.buyer_message(jordans_order)
    blocked = factories.seller_message(jordans_order, sam, "See https://cheap-deals.example")
    assert blocked.status == Message.Status.BLOCKED
    out_of_office = Message.objects.create(
        conversation=_conversation(jordans_order),
        sender=sam,
        sender_side=Side.SELLER,
        message_type="reply",
        body_text="Out until Monday.",
        body_html="<p>Out until Monday.</p>",
        status=Message.Status.HELD,
        is_automatic=True,
    )
    message_deliver(out_of_office)

    assert _kept(jordan) == 0
    _assert_right(*counted)


def test_a_message_older_than_the_last_word_moves_it_back_and_the_count_follows(
    client, monkeypatch, counted, sam, northwind, jordans_order
):
    """Two buyer messages commit out of the order of their delivery times: the last word
    moves back to before the seller's last look, so the conversation is read again."""
    start = timezone.now()
    at = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: at["now"])
    factories.buyer_message(jordans_order)
    conversation = _conversation(jordans_order)
    older = Message.objects.create(
        conversation=conversation,
        sender=jordans_order.buyer,
        sender_side=Side.BUYER,
        message_type="buyer_inquiry",
        body_text="Sent a while ago.",
        body_html="<p>Sent a while ago.</p>",
        status=Message.Status.HELD,
    )
    at["now"] = start + timedelta(minutes=20)
    client.force_login(sam)
    client.get(reverse("seller_conversation", args=[conversation.pk]))
    at["now"] = start + timedelta(minutes=30)
    factories.buyer_message(jordans_order, "And now?")
    assert _kept(sam, northwind) == 1

    at["now"] = start + timedelta(minutes=10)
    message_deliver(older)

    conversation.refresh_from_db()
    assert conversation.last_buyer_message_at == start + timedelta(minutes=10)
    assert _kept(sam, northwind) == 0
    _assert_right(*counted)


def test_a_new_member_is_counted_on_first_sight(client, sam, northwind, jordans_order):
    factories.buyer_message(jordans_order)
    factories.buyer_message(
        factories.order(buyer=factories.user("lee@example.com"), seller=northwind)
    )
    newcomer = factories.member(northwind, "kim@northwind.example", "Kim Park")
    assert not UnreadCount.objects.filter(user=newcomer).exists()

    assert _nav_badge(client, newcomer) == 2
    assert _kept(newcomer, northwind) == 2
    factories.buyer_message(jordans_order, "Hello?")
    factories.buyer_message(
        factories.order(buyer=factories.user("ana@example.com"), seller=northwind)
    )
    assert _nav_badge(client, newcomer) == 3
    assert unread_counts_check() == []


def test_repair_counts_check_fails_on_a_wrong_count_and_repair_fixes_it(
    counted, sam, northwind, jordans_order, capsys
):
    factories.buyer_message(jordans_order)
    call_command("repair_counts", "--check")
    UnreadCount.objects.filter(user=sam, business=northwind).update(unread=7)

    with pytest.raises(CommandError, match="1 unread counts are wrong"):
        call_command("repair_counts", "--check")
    assert f"user {sam.pk} business {northwind.pk}: kept 7, counted 1" in capsys.readouterr().out
    assert _kept(sam, northwind) == 7

    call_command("repair_counts")

    assert _kept(sam, northwind) == 1
    assert "1 repaired" in capsys.readouterr().out
    call_command("repair_counts", "--check")


def test_the_navigation_reads_the_same_number_of_queries_however_many_conversations(
    sam, northwind, django_assert_num_queries
):
    for n in range(3):
        buyer = factories.user(f"buyer{n}@example.com")
        factories.buyer_message(factories.order(buyer=buyer, seller=northwind))
    seller_unread_count(sam)  # the row is created on first sight, as the count is not 0
    sam._business_ids = None  # a new request asks for the businesses again

    with django_assert_num_queries(2):  # the businesses, then the kept counts
        assert seller_unread_count(sam) == 3


def test_a_member_of_two_businesses_sees_both_counted_from_one_query(
    client, sam, northwind, jordans_order, django_assert_num_queries
):
    """The navigation reads the user's businesses with their kept counts together."""
    cascade = factories.business("Cascade Outfitters")
    Membership.objects.create(user=sam, business=cascade, role="agent")
    factories.buyer_message(jordans_order)
    for n in range(2):
        buyer = factories.user(f"cascade-buyer{n}@example.com")
        factories.buyer_message(factories.order(buyer=buyer, seller=cascade))

    assert _nav_badge(client, sam) == 3  # the rows are kept on first sight
    assert _kept(sam, northwind) == 1
    assert _kept(sam, cascade) == 2
    sam._business_ids = None  # a new request asks for the businesses again
    with django_assert_num_queries(1):
        assert navigation_unread(sam) == NavigationUnread(seller=True, unread=3)
    assert business_ids_for_member(sam) == sorted(
        [northwind.pk, cascade.pk], key={northwind.pk: northwind.name, cascade.pk: cascade.name}.get
    )


def test_someone_on_no_seller_team_sees_their_count_as_a_buyer(jordan):
    assert navigation_unread(jordan) == NavigationUnread(seller=False, unread=0)
    assert business_ids_for_member(jordan) == []


def test_a_buyers_navigation_reads_their_businesses_and_count_in_one_query(
    client, jordan, sam, jordans_order, django_assert_num_queries
):
    """No business and the kept buyer count come back from the same query."""
    factories.seller_message(jordans_order, sam)
    assert _nav_badge(client, jordan) == 1  # kept on first sight
    jordan._business_ids = None  # a new request asks for the businesses again

    with django_assert_num_queries(1):
        assert navigation_unread(jordan) == NavigationUnread(seller=False, unread=1)


def test_nothing_unread_is_counted_without_keeping_a_row_until_something_arrives(
    client, northwind, jordans_order
):
    newcomer = factories.member(northwind, "kim@northwind.example", "Kim Park")

    assert _nav_badge(client, newcomer) == 0
    assert not UnreadCount.objects.filter(user=newcomer).exists()

    factories.buyer_message(jordans_order)
    assert _nav_badge(client, newcomer) == 1
    assert _kept(newcomer, northwind) == 1


def test_opening_a_read_conversation_again_writes_nothing_until_the_other_side_writes(
    client, counted, sam, avery, northwind, jordans_order
):
    factories.buyer_message(jordans_order)
    conversation = _conversation(jordans_order)
    url = reverse("seller_conversation", args=[conversation.pk])
    client.force_login(sam)
    client.get(url)
    marker = ReadState.objects.get(conversation=conversation, user=sam).last_read_at

    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert not [q for q in again.captured_queries if q["sql"].startswith("UPDATE")]
    assert ReadState.objects.get(conversation=conversation, user=sam).last_read_at == marker

    factories.buyer_message(jordans_order, "One more thing.")
    assert _nav_badge(client, sam) == 1
    client.get(url)
    assert _nav_badge(client, sam) == 0
    assert ReadState.objects.get(conversation=conversation, user=sam).last_read_at > marker
    _assert_right(*counted)
