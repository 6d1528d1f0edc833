"""The notes panel on the seller's conversation page and the "Add internal note" form, as
every kind of person tries them."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.notes.models import NOTE_MAX_LENGTH, ConversationNote, NoteMention
from messagecenter.notes.selectors import NOTES_PER_PAGE
from messagecenter.notes.services import note_add
from tests import factories
from tests.test_query_counts import SELLER_CONVERSATION_BUDGET


def _add_url(conversation) -> str:
    return reverse("conversation_note_add", args=[conversation.pk])


def _page(conversation) -> str:
    return reverse("seller_conversation", args=[conversation.pk])


@pytest.mark.parametrize("writer", ["sam", "avery"])
def test_a_team_member_adds_a_note_and_the_team_sees_it(request, client, conversation, writer):
    author = request.getfixturevalue(writer)
    client.force_login(author)
    response = client.post(_add_url(conversation), {"body": "Replacement lid sent <today>."})
    note = ConversationNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_page(conversation)}#note-{note.pk}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Internal note added. Only your team sees it."
    ]
    assert (note.author, note.conversation) == (author, conversation)
    for teammate in (request.getfixturevalue("sam"), request.getfixturevalue("avery")):
        client.force_login(teammate)
        page = client.get(_page(conversation)).content.decode()
        assert "Internal note — only your team sees this" in page
        assert "Replacement lid sent &lt;today&gt;." in page
        assert "<today>" not in page


def test_a_mention_is_marked_and_named_in_the_notice(client, conversation, sam, avery):
    client.force_login(sam)
    response = client.post(_add_url(conversation), {"body": "@avery lee can you call them?"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Internal note added. Mentioned, and told by email as they chose: Avery Lee."
    ]
    page = client.get(_page(conversation)).content.decode()
    assert f'<strong class="note-mention" data-user="{avery.pk}">@avery lee</strong>' in page


@pytest.mark.parametrize("outsider", ["maria", "jordan", "priya", "morgan"])
def test_nobody_outside_the_team_can_add_or_see_notes(request, client, conversation, sam, outsider):
    note_add(conversation=conversation, author=sam, body="Finance approved the refund.")
    client.force_login(request.getfixturevalue(outsider))
    response = client.post(_add_url(conversation), {"body": "Let me in"})
    assert response.status_code == 404
    assert ConversationNote.objects.count() == 1
    assert client.get(_page(conversation)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, conversation):
    response = client.post(_add_url(conversation), {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ConversationNote.objects.exists()


def test_the_form_only_takes_a_post(client, conversation, sam):
    client.force_login(sam)
    assert client.get(_add_url(conversation)).status_code == 405


def test_a_missing_conversation_is_a_404(client, conversation, sam):
    client.force_login(sam)
    response = client.post(reverse("conversation_note_add", args=[987654]), {"body": "Hi"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("  \n  ", "Write the note before adding it."),
        (
            "Long " * (NOTE_MAX_LENGTH // 4),
            f"A note can be at most {NOTE_MAX_LENGTH} characters long; this one has",
        ),
    ],
)
def test_a_refused_note_comes_back_with_the_reason_and_the_text(
    client, conversation, sam, body, error
):
    client.force_login(sam)
    response = client.post(_add_url(conversation), {"body": body})
    assert response["Location"] == f"{_page(conversation)}#add-note"
    assert not ConversationNote.objects.exists()
    page = client.get(_page(conversation)).content.decode()
    assert error in page
    assert 'aria-invalid="true"' in page
    assert body.strip() in page
    # Shown once: the next visit starts with an empty box.
    again = client.get(_page(conversation)).content.decode()
    assert error not in again


def test_the_buyers_page_never_shows_a_note(client, conversation, sam, jordan):
    note_add(conversation=conversation, author=sam, body="Buyer seems upset; offer 10 % off.")
    client.force_login(jordan)
    page = client.get(reverse("buyer_conversation", args=[conversation.pk])).content.decode()
    assert "offer 10 % off" not in page
    assert "Internal note" not in page
    assert _add_url(conversation) not in page


def test_older_notes_are_a_page_away(client, conversation, sam):
    for i in range(NOTES_PER_PAGE + 3):
        note_add(conversation=conversation, author=sam, body=f"Step {i} done.")
    client.force_login(sam)
    page = client.get(_page(conversation)).content.decode()
    assert "Step 2 done." not in page
    assert "Step 3 done." in page
    assert f"Step {NOTES_PER_PAGE + 2} done." in page
    earlier = page.split('href="?notes=')[1].split('"')[0]
    older = client.get(f"{_page(conversation)}?notes={earlier}").content.decode()
    assert "Step 0 done." in older
    assert "Step 2 done." in older
    assert "Show later notes" in older


def _queries(client, url: str) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.postgresql("the notes are read in the page's one round trip")
def test_the_page_costs_the_same_with_many_notes_and_mentions(
    client, conversation, jordans_order, sam, avery
):
    client.force_login(avery)
    note_add(conversation=conversation, author=sam, body="@Avery first note")
    few = _queries(client, _page(conversation))
    for i in range(NOTES_PER_PAGE + 5):
        note_add(conversation=conversation, author=sam, body=f"@Avery note {i}")
        factories.buyer_message(jordans_order, f"Any news? {i}")
    many = _queries(client, _page(conversation))
    assert NoteMention.objects.count() == NOTES_PER_PAGE + 6
    # The notes are read with the page's other reads, in the same round trip.
    assert few == many <= SELLER_CONVERSATION_BUDGET
