"""A note is not a message: it never reaches the buyer (page, email, search, API), never
answers the reply clock, never becomes the conversation's last word, never goes out as a
webhook. Each test would fail if a note leaked there.

Jordan waits for an answer from Northwind; Sam writes a note with a word found nowhere
else, mentioning Avery.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from messagecenter.api.tokens import api_token_create
from messagecenter.messaging.models import Message
from messagecenter.search.models import MessageSearch
from messagecenter.threads.models import Conversation
from messagecenter.webhooks.models import WebhookDelivery

SECRET = "Quokkaberry"
# What the note says after the word: a search page repeats the word searched for, never this.
NOTE_TEXT = "please refund the lid"


@pytest.fixture
def noted(add_note, conversation, sam, avery):
    """The conversation as it was before the note, and after it."""
    before = Conversation.objects.values().get(pk=conversation.pk)
    add_note(
        conversation=conversation,
        author=sam,
        body=f"{SECRET}: @Avery please refund the lid, then tell @Jordan Miles.",
    )
    return before


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t').key}")
    return client


def test_the_only_email_is_the_mentioned_teammates(noted, avery, jordan):
    assert [email.to for email in mail.outbox] == [[avery.email]]
    assert all(jordan.email not in email.recipients() for email in mail.outbox)


def test_a_note_without_mentions_emails_nobody(add_note, conversation, sam):
    add_note(conversation=conversation, author=sam, body=f"{SECRET} checked, all fine.")
    assert mail.outbox == []


def test_the_conversation_its_clock_and_its_counts_are_unchanged(noted, conversation):
    after = Conversation.objects.values().get(pk=conversation.pk)
    assert after == noted
    assert after["reply_due_at"] is not None  # Jordan still waits for an answer
    assert after["last_message_side"] == "buyer"
    assert Message.objects.filter(conversation=conversation).count() == 1


def test_no_message_search_row_or_webhook_is_written(noted):
    assert not MessageSearch.objects.filter(text__icontains=SECRET).exists()
    assert not WebhookDelivery.objects.exists()


def test_the_buyers_pages_never_show_it(client, noted, conversation, jordan):
    client.force_login(jordan)
    for url in (
        reverse("buyer_conversation", args=[conversation.pk]),
        reverse("buyer_inbox"),
        reverse("search") + f"?q={SECRET}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert NOTE_TEXT not in response.content.decode(), url


def test_search_finds_it_for_nobody(client, noted, sam):
    """Notes are not searched at all, so the team's own search has no result either."""
    client.force_login(sam)
    page = client.get(reverse("search"), {"q": SECRET}).content.decode()
    assert SECRET in page  # the word searched for, repeated
    assert NOTE_TEXT not in page


@pytest.mark.parametrize("who", ["jordan", "sam"])
def test_the_api_never_returns_it(request, noted, conversation, who):
    api = _api(request.getfixturevalue(who))
    for path in (
        "/api/v1/conversations",
        f"/api/v1/conversations/{conversation.pk}",
        f"/api/v1/conversations/{conversation.pk}/messages",
        f"/api/v1/search?q={SECRET}",
    ):
        response = api.get(path)
        assert response.status_code in (200, 404), path
        assert NOTE_TEXT not in response.content.decode(), path
