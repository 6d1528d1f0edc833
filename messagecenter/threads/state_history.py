"""The latest changes of a conversation's state, as its page shows them (who closed,
reopened, snoozed or woke it, and when), read with the page's other reads in one round
trip (inbox/conversation_reads.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from messagecenter.accounts.models import User, public_name_of
from messagecenter.core.one_round_trip import Statement
from messagecenter.core.raw_datetimes import aware_from_db
from messagecenter.threads.models import ConversationStateChange

# The page shows the latest few; the rest are in the admin.
SHOWN = 5


@dataclass(frozen=True)
class StateHistoryEntry:
    action: str  # ConversationStateChange.Action
    at: datetime
    by_name: str | None  # None: the buyer's new message did it
    snoozed_until: datetime | None


def state_history_statement(conversation_id: int) -> Statement:
    changes, users = ConversationStateChange._meta.db_table, User._meta.db_table
    return (
        "SELECT c.action, c.at, c.snoozed_until, c.by_buyer_message,"  # noqa: S608
        " u.display_name, u.first_name, u.last_name"
        f" FROM {changes} c LEFT JOIN {users} u ON u.id = c.by_id"
        " WHERE c.conversation_id = %s ORDER BY c.at DESC, c.id DESC LIMIT %s",
        [conversation_id, SHOWN],
    )


def state_history_from(rows: Sequence[Sequence[Any]]) -> list[StateHistoryEntry]:
    entries = []
    for action, at, snoozed_until, by_buyer, display_name, first_name, last_name in rows:
        by_name = None
        if not by_buyer:
            by_name = (
                public_name_of(display_name, first_name, last_name)
                if first_name is not None
                else _("a former team member")
            )
        at_aware = aware_from_db(at)
        assert at_aware is not None
        entries.append(StateHistoryEntry(action, at_aware, by_name, aware_from_db(snoozed_until)))
    return entries
