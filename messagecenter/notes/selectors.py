"""Reading a conversation's notes for its seller-side page: a page of them, newest first,
with their authors, in one statement whatever the number of notes (the conversation
page runs it with its other reads in one round trip: inbox/conversation_reads.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from messagecenter.core.joined_row import MAIN, JoinedRow
from messagecenter.core.keyset import (
    KeysetPage,
    Position,
    SortKey,
    beyond_sql,
    order_sql,
    page_from,
    position_of,
)
from messagecenter.core.one_round_trip import Statement, rows_of_each
from messagecenter.notes.models import ConversationNote
from messagecenter.threads.models import Conversation

# The newest first, page by page; the panel shows each page oldest first, as a thread.
NOTE_ORDER = (SortKey("created_at", descending=True), SortKey("id", descending=True))
NOTES_PER_PAGE = 20
NOTES_CURSOR = "notes"  # the query parameter of the panel's pages

_NOTE = JoinedRow(
    ConversationNote,
    ("author",),
    only=("conversation_id", "author_id", "created_at", "body_html"),
)
_KEY_COLUMNS = (f"{MAIN}.created_at", f"{MAIN}.id")


@dataclass(frozen=True)
class NotesQuery:
    statement: Statement
    position: Position

    def page(self, rows: Sequence[Sequence[Any]]) -> KeysetPage:
        """The page from the statement's rows (newest first, one more than a page)."""
        fetched = [note for note, _ in _NOTE.instances(rows)]
        return page_from(fetched, NOTE_ORDER, self.position, NOTES_PER_PAGE)


def notes_page_query(conversation: Conversation, cursor: str | None) -> NotesQuery:
    """The statement of one page of the conversation's notes (the caller has checked
    access as the seller's team)."""
    position = position_of(cursor, NOTE_ORDER)
    beyond, after = "", list[Any]()
    if position.after is not None:
        when, note_id = position.after
        # Adapted as the ORM would (SQLite keeps datetimes as text in UTC).
        adapted = [connection.ops.adapt_datetimefield_value(when), note_id]
        condition, after = beyond_sql(NOTE_ORDER, adapted, position.forwards, _KEY_COLUMNS)
        beyond = f" AND {condition}"
    order = order_sql(NOTE_ORDER, position.forwards, _KEY_COLUMNS)
    sql = (
        f"SELECT {_NOTE.columns} FROM {_NOTE.tables}"  # noqa: S608 (names from the models)
        f" WHERE {MAIN}.conversation_id = %s{beyond} ORDER BY {order} LIMIT %s"
    )
    return NotesQuery(
        statement=(sql, [conversation.pk, *after, NOTES_PER_PAGE + 1]), position=position
    )


def notes_page(conversation: Conversation, cursor: str | None) -> KeysetPage:
    """One page of the conversation's notes, read on its own."""
    query = notes_page_query(conversation, cursor)
    [rows] = rows_of_each([query.statement])
    return query.page(rows)
