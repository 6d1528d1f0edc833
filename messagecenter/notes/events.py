"""What notes tells the apps above it (see messagecenter.core.events)."""

from __future__ import annotations

from dataclasses import dataclass

from messagecenter.notes.models import ConversationNote


@dataclass(frozen=True)
class NoteAdded:
    """A team member left an internal note in a conversation. ``mention_ids`` are the
    NoteMention rows of the teammates it names, each to be told once by email."""

    note: ConversationNote
    mention_ids: tuple[int, ...]
