"""Read receipts: when the other side last opened a conversation, for "Seen".

The buyer's marker answers for the buyer; for the seller's side, any team member's
(every member reads the team's conversations). Only people who opened the page move a
marker (threads/services.py), so a receipt means a person saw the message on the web.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from messagecenter.core.joined_row import converted
from messagecenter.core.one_round_trip import Statement
from messagecenter.threads.models import Conversation, ReadState, Side

_READ_MARKER = ReadState._meta.get_field("last_read_at")


def other_side_read_statement(conversation: Conversation, side: Side | str) -> Statement:
    """The latest read marker of the side facing ``side``, as one row of one column."""
    # The buyer's own marker, or everyone else's: the buyer's team (a seller who is also
    # the buyer, in tests) is the other side's only when they are not the buyer.
    comparison = "=" if side == Side.SELLER else "<>"
    return (
        f"SELECT MAX(last_read_at) FROM {ReadState._meta.db_table}"  # noqa: S608
        f" WHERE conversation_id = %s AND user_id {comparison} %s",
        [conversation.pk, conversation.buyer_id],
    )


def other_side_read_from(rows: Sequence[Sequence[Any]]) -> datetime | None:
    value = rows[0][0] if rows else None
    return converted(_READ_MARKER, value) if value is not None else None
