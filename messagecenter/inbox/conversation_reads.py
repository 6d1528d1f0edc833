"""What a conversation page reads after its access check: the messages it shows, when the
other side last read it ("Seen") and, on the seller's side, the team (the assignment form,
the reply clock card and who is replying) and a page of its internal notes, together in
one round trip (core/one_round_trip.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from messagecenter.accounts.models import User
from messagecenter.core.keyset import KeysetPage
from messagecenter.core.one_round_trip import rows_of_each
from messagecenter.messaging.selectors import MessageWindow, message_window_query
from messagecenter.notes.selectors import notes_page_query
from messagecenter.relay.models import EmailBounce
from messagecenter.threads.assignment import team_members_from, team_members_statement
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.read_receipts import other_side_read_from, other_side_read_statement


@dataclass(frozen=True)
class ConversationReads:
    window: MessageWindow
    team: list[User]  # the seller's side only: empty on the buyer's
    other_side_read_at: datetime | None  # the other side's latest read marker
    notes: KeysetPage | None = None  # the seller's side only: the team's internal notes


def conversation_page_reads(
    conversation: Conversation, side: Side, *, cursor: str | None, notes_cursor: str | None = None
) -> ConversationReads:
    messages = message_window_query(
        conversation,
        side,
        cursor=cursor,
        # Read with the messages: a page of messages none of which bounced asks no more.
        flags={"bounced": EmailBounce},
    )
    seller_side = side == Side.SELLER
    statements = [messages.statement, other_side_read_statement(conversation, side)]
    notes = notes_page_query(conversation, notes_cursor) if seller_side else None
    if notes is not None:
        statements += [team_members_statement(conversation.seller_id), notes.statement]
    rows = rows_of_each(statements)
    return ConversationReads(
        window=messages.window(rows[0]),
        team=team_members_from(rows[2]) if seller_side else [],
        other_side_read_at=other_side_read_from(rows[1]),
        notes=notes.page(rows[3]) if notes is not None else None,
    )
