"""Adding a note: stored as written, shown escaped, mentions kept; nothing else changes."""

from __future__ import annotations

import pytest

from messagecenter.core.errors import UserFacingError
from messagecenter.notes.models import NOTE_MAX_LENGTH, ConversationNote, NoteMention
from messagecenter.notes.services import note_add
from messagecenter.threads.models import Conversation


def test_a_note_is_stored_with_its_mentions_and_its_html_escaped(conversation, sam, avery, jordan):
    note = note_add(
        conversation=conversation,
        author=sam,
        body="<b>@Avery</b> check the lid\r\n\r\nand ask @Jordan Miles & co",
    )
    stored = ConversationNote.objects.get(pk=note.pk)
    assert stored.body == "<b>@Avery</b> check the lid\n\nand ask @Jordan Miles & co"
    assert stored.body_html == (
        f'<p>&lt;b&gt;<strong class="note-mention" data-user="{avery.pk}">@Avery</strong>'
        "&lt;/b&gt; check the lid</p><p>and ask @Jordan Miles &amp; co</p>"
    )
    assert list(NoteMention.objects.values_list("user", flat=True)) == [avery.pk]


def test_mentioning_oneself_or_a_teammate_twice_makes_one_mention_of_others(
    conversation, sam, avery
):
    note_add(conversation=conversation, author=sam, body="@Sam @Avery and again @Avery Lee")
    assert list(NoteMention.objects.values_list("user", flat=True)) == [avery.pk]


def test_the_conversation_is_left_as_it_was(conversation, sam):
    before = Conversation.objects.values().get(pk=conversation.pk)
    note_add(conversation=conversation, author=sam, body="Refund approved by finance.")
    assert Conversation.objects.values().get(pk=conversation.pk) == before


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("   \n ", "Write the note before adding it."),
        ("x" * (NOTE_MAX_LENGTH + 1), f"at most {NOTE_MAX_LENGTH} characters"),
    ],
)
def test_an_empty_or_too_long_note_is_refused(conversation, sam, body, says):
    with pytest.raises(UserFacingError, match=says):
        note_add(conversation=conversation, author=sam, body=body)
    assert not ConversationNote.objects.exists()


def test_only_the_sellers_team_can_write_notes(conversation, maria, jordan):
    for outsider in (maria, jordan):
        with pytest.raises(UserFacingError):
            note_add(conversation=conversation, author=outsider, body="Hello")
    assert not ConversationNote.objects.exists()
