"""Reading a conversation's notes for its seller-side page."""

from __future__ import annotations

from messagecenter.core.keyset import KeysetPage, SortKey, keyset_page
from messagecenter.notes.models import ConversationNote
from messagecenter.threads.models import Conversation

# The newest first, page by page; the panel shows each page oldest first, as a thread.
NOTE_ORDER = (SortKey("created_at", descending=True), SortKey("id", descending=True))
NOTES_PER_PAGE = 20


def notes_page(conversation: Conversation, cursor: str | None) -> KeysetPage:
    """One page of the conversation's notes with their authors, in one query, whatever
    the number of notes (the caller has checked access as the seller's team)."""
    rows = (
        ConversationNote.objects.filter(conversation=conversation)
        .select_related("author")
        .only(
            "id",
            "conversation_id",
            "created_at",
            "body_html",
            "author__id",
            "author__display_name",
            "author__first_name",
            "author__last_name",
        )
    )
    return keyset_page(rows, NOTE_ORDER, cursor, per_page=NOTES_PER_PAGE)
