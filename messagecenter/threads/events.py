"""What threads tells the apps above it (see messagecenter.core.events)."""

from __future__ import annotations

from dataclasses import dataclass

from messagecenter.threads.models import Conversation, ConversationAssignment


@dataclass(frozen=True)
class ConversationOpened:
    """A buyer and a seller have a new conversation (its first message may still be
    blocked). The relay gives the pair its masked addresses."""

    conversation: Conversation


@dataclass(frozen=True)
class ConversationAssigned:
    """A conversation was given to a team member, or back to the whole team."""

    assignment: ConversationAssignment


@dataclass(frozen=True)
class ConversationRead:
    """A user opened the conversation and their read marker moved to now: the other side
    may show its message as seen, and the user's inbox and counts change."""

    conversation: Conversation
    reader_id: int


@dataclass(frozen=True)
class ConversationStateChanged:
    """Conversations of a seller were closed, reopened, snoozed or woken (threads/state.py):
    its Awaiting reply and Overdue counts may have changed. ``conversation_id``: the one
    conversation, or None for several (a bulk action)."""

    conversation_id: int | None
    seller_id: int
