"""Conversation pages and Contact Buyer show a conversation's latest 50 messages, with a
link to the earlier ones, instead of loading every message."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from messagecenter.messaging.selectors import MESSAGES_PER_PAGE
from messagecenter.threads.models import Conversation, Side
from tests import factories

EARLIER = 10


def _question(i: int) -> str:
    return f"Question {i:03d}: could you check the parcel once more?"


def _answer(i: int) -> str:
    return f"Answer {i:03d}: we checked the parcel again."


@pytest.fixture
def long_conversation(jordans_order, sam) -> Conversation:
    """MESSAGES_PER_PAGE + EARLIER messages, the buyer and the seller taking turns."""
    factories.buyer_message(jordans_order, _question(0))
    conversation = Conversation.objects.get(order=jordans_order)
    for i in range(1, MESSAGES_PER_PAGE + EARLIER):
        if i % 2:
            factories.reply(conversation, sam, Side.SELLER, _answer(i))
        else:
            factories.reply(conversation, jordans_order.buyer, Side.BUYER, _question(i))
    return conversation


def _numbers_shown(body: str) -> list[int]:
    """The messages in the thread (on the seller's side the list beside it previews the last
    one too)."""
    start = body.find("data-live-messages")  # absent from a fragment of messages alone
    thread = body[start:] if start >= 0 else body
    return [int(n) for n in re.findall(r"(?:Question|Answer) (\d{3}):", thread)]


def _earlier_link(body: str) -> str | None:
    found = re.search(r'href="([^"]*\?before=[^"]+)" rel="prev">Show earlier messages', body)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("viewer", "url_name"), [("jordan", "buyer_conversation"), ("avery", "seller_conversation")]
)
def test_a_long_conversation_opens_on_its_latest_messages(
    client, request, long_conversation, viewer, url_name
):
    client.force_login(request.getfixturevalue(viewer))
    url = reverse(url_name, args=[long_conversation.pk])

    latest = client.get(url).content.decode()
    assert _numbers_shown(latest) == list(range(EARLIER, MESSAGES_PER_PAGE + EARLIER))
    assert "Show the latest messages" not in latest
    link = _earlier_link(latest)
    assert link is not None and link.startswith(url)

    earlier = client.get(link).content.decode()
    assert _numbers_shown(earlier) == list(range(EARLIER))
    assert _earlier_link(earlier) is None
    assert f'href="{url}" rel="next">Show the latest messages' in earlier


def test_a_short_conversation_has_no_earlier_link(client, avery, jordans_order):
    factories.buyer_message(jordans_order, _question(1))
    conversation = Conversation.objects.get(order=jordans_order)
    client.force_login(avery)

    body = client.get(reverse("seller_conversation", args=[conversation.pk])).content.decode()

    assert _numbers_shown(body) == [1]
    assert _earlier_link(body) is None


def test_a_malformed_cursor_opens_the_latest_messages(client, avery, long_conversation):
    client.force_login(avery)
    url = reverse("seller_conversation", args=[long_conversation.pk])

    response = client.get(url, {"before": "not-a-cursor"})

    assert response.status_code == 200
    assert _numbers_shown(response.content.decode())[-1] == MESSAGES_PER_PAGE + EARLIER - 1


def test_contact_buyer_shows_the_latest_messages_and_links_to_the_rest(
    client, sam, jordans_order, long_conversation
):
    client.force_login(sam)

    body = client.get(reverse("contact_buyer", args=[jordans_order.number])).content.decode()

    assert _numbers_shown(body) == list(range(EARLIER, MESSAGES_PER_PAGE + EARLIER))
    link = _earlier_link(body)
    assert link is not None
    assert link.startswith(reverse("seller_conversation", args=[long_conversation.pk]))


def test_the_reply_clock_counts_waiting_messages_older_than_the_page(client, avery, jordans_order):
    waiting = MESSAGES_PER_PAGE + 3
    for i in range(waiting):
        factories.buyer_message(jordans_order, _question(i))
    conversation = Conversation.objects.get(order=jordans_order)
    client.force_login(avery)

    body = client.get(reverse("seller_conversation", args=[conversation.pk])).content.decode()

    assert len(_numbers_shown(body)) == MESSAGES_PER_PAGE
    assert f"{waiting} buyer messages are waiting." in body


def test_a_send_shown_again_keeps_the_latest_messages_beside_the_form(
    client, sam, jordans_order, long_conversation
):
    client.force_login(sam)

    response = client.post(
        reverse("contact_buyer", args=[jordans_order.number]),
        {"message_type": "reply", "subject": "Order", "body": ""},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Write a message before sending." in body
    assert _numbers_shown(body) == list(range(EARLIER, MESSAGES_PER_PAGE + EARLIER))
    assert _earlier_link(body) is not None
