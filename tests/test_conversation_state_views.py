"""The state card on Sam's conversation page and its plain form posts: each says what
happened in a notice, the history shows who did it, bad input is explained and changes
nothing. Who may post at all: tests/test_authorization.py (every kind of actor)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from messagecenter.threads.models import Conversation, ConversationStateChange
from messagecenter.threads.state import conversation_close, conversation_snooze
from tests import factories


@pytest.fixture
def waiting(jordans_order, sam) -> Conversation:
    factories.buyer_message(jordans_order, "Where is my parcel?")
    return Conversation.objects.get(order=jordans_order)


def _notice(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _page(client, conversation) -> str:
    return client.get(reverse("seller_conversation", args=[conversation.pk])).content.decode()


def test_the_card_offers_close_with_its_shortcut_and_warns_of_the_running_clock(
    client, waiting, sam
):
    client.force_login(sam)
    page = _page(client, waiting)
    assert 'class="card state-card"' in page
    assert 'data-shortcut="e"' in page
    assert "Closing or snoozing does not stop the 24-hour clock" in page
    assert "Snooze past the reply deadline anyway" in page
    assert "Mark unread" in page


def test_closing_from_the_page_says_the_clock_keeps_running_and_shows_who(
    client, waiting, sam, avery
):
    client.force_login(sam)
    response = client.post(reverse("conversation_close", args=[waiting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("seller_conversation", args=[waiting.pk])
    assert "the reply clock keeps running" in _notice(response)
    client.force_login(avery)
    page = _page(client, waiting)
    assert "Closed by Sam Carter" in page
    assert "Reopen" in page and 'data-shortcut="e"' not in page
    response = client.post(reverse("conversation_reopen", args=[waiting.pk]))
    assert "Reopened" in _notice(response)
    assert "Reopened by Avery Lee" in _page(client, waiting)


def test_closing_a_closed_conversation_explains_and_changes_nothing(client, waiting, sam):
    conversation_close(conversation=waiting, by=sam)
    client.force_login(sam)
    response = client.post(reverse("conversation_close", args=[waiting.pk]))
    assert "closed already" in _notice(response)
    assert ConversationStateChange.objects.filter(conversation=waiting).count() == 1


def test_a_buyer_reopening_shows_in_the_history(client, waiting, sam, jordans_order):
    factories.reply(waiting, sam, "seller", "On its way.")
    conversation_close(conversation=waiting, by=sam)
    factories.buyer_message(jordans_order, "Thanks, and one more thing")
    client.force_login(sam)
    assert "Reopened by the buyer’s new message" in _page(client, waiting)


def test_snoozing_with_a_quick_choice_goes_back_to_the_inbox(client, waiting, sam):
    client.force_login(sam)
    response = client.post(reverse("conversation_snooze", args=[waiting.pk]), {"quick": "later"})
    assert response["Location"] == reverse("seller_inbox")
    assert "Snoozed until" in _notice(response)
    waiting.refresh_from_db()
    assert waiting.snoozed_until is not None
    page = _page(client, waiting)
    assert "Snoozed by Sam Carter until" in page
    assert "End snooze now" in page
    response = client.post(reverse("conversation_wake", args=[waiting.pk]))
    assert "Snooze ended" in _notice(response)
    waiting.refresh_from_db()
    assert waiting.snoozed_until is None


def test_snoozing_past_the_deadline_names_it_in_the_sellers_zone_until_confirmed(
    client, waiting, sam
):
    sam.time_zone = "Europe/Berlin"
    sam.save(update_fields=["time_zone"])
    client.force_login(sam)
    assert waiting.reply_due_at is not None
    past = timezone.localtime(waiting.reply_due_at + timedelta(hours=2), ZoneInfo("Europe/Berlin"))
    until = past.strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("conversation_snooze", args=[waiting.pk]), {"until": until})
    notice = _notice(response)
    assert "Not snoozed: the answer to the buyer is due" in notice
    assert "(CET)" in notice or "(CEST)" in notice  # the seller's zone, named
    waiting.refresh_from_db()
    assert waiting.snoozed_until is None
    response = client.post(
        reverse("conversation_snooze", args=[waiting.pk]), {"until": until, "past_deadline": "on"}
    )
    assert "Snoozed until" in _notice(response)
    waiting.refresh_from_db()
    assert waiting.snoozed_until is not None
    assert (
        timezone.localtime(waiting.snoozed_until, past.tzinfo).strftime("%Y-%m-%dT%H:%M") == until
    )


@pytest.mark.parametrize(
    ("form", "explained"),
    [
        ({}, "Choose a time to snooze until"),
        ({"until": "tomorrow-ish"}, "Enter a valid date/time"),
        ({"until": "2001-01-01T09:00"}, "Choose a time in the future"),
        ({"quick": "never"}, "Select a valid choice"),
    ],
)
def test_a_bad_snooze_is_explained_and_changes_nothing(client, waiting, sam, form, explained):
    client.force_login(sam)
    response = client.post(reverse("conversation_snooze", args=[waiting.pk]), form)
    assert response.status_code == 302
    assert explained in _notice(response)
    waiting.refresh_from_db()
    assert waiting.snoozed_until is None


def test_a_snoozed_conversation_cannot_be_snoozed_once_closed(client, waiting, sam):
    conversation_snooze(conversation=waiting, by=sam, until=timezone.now() + timedelta(hours=1))
    conversation_close(conversation=waiting, by=sam)
    client.force_login(sam)
    response = client.post(reverse("conversation_snooze", args=[waiting.pk]), {"quick": "later"})
    assert "Reopen the conversation before snoozing it" in _notice(response)


def test_mark_unread_goes_back_to_the_inbox_where_it_shows_unread(client, waiting, sam):
    client.force_login(sam)
    _page(client, waiting)
    response = client.post(reverse("conversation_mark_unread", args=[waiting.pk]))
    assert response["Location"] == reverse("seller_inbox")
    assert "as unread for you" in _notice(response)
    inbox = client.get(reverse("seller_inbox") + "?filter=unread").content.decode()
    assert reverse("seller_conversation", args=[waiting.pk]) in inbox
    assert 'aria-label="1 unread"' in inbox


def test_mark_unread_with_nothing_from_the_buyer_explains(client, jordans_order, sam):
    factories.seller_message(jordans_order, sam)
    conversation = Conversation.objects.get(order=jordans_order)
    client.force_login(sam)
    response = client.post(reverse("conversation_mark_unread", args=[conversation.pk]))
    assert response["Location"] == reverse("seller_conversation", args=[conversation.pk])
    assert "has not written" in _notice(response)


def test_the_closed_and_snoozed_tabs_list_theirs(client, waiting, sam, cascade, priya):
    conversation_close(conversation=waiting, by=sam)
    client.force_login(sam)
    link = reverse("seller_conversation", args=[waiting.pk])
    assert link in client.get(reverse("seller_inbox") + "?filter=closed").content.decode()
    assert link not in client.get(reverse("seller_inbox") + "?filter=awaiting").content.decode()
    assert link not in client.get(reverse("seller_inbox") + "?filter=snoozed").content.decode()


def test_the_state_endpoints_take_only_posts(client, waiting, sam):
    client.force_login(sam)
    for name in ("conversation_close", "conversation_reopen", "conversation_snooze"):
        assert client.get(reverse(name, args=[waiting.pk])).status_code == 405
