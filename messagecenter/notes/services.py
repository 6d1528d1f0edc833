"""Writing internal notes: the one write of this app."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import User
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.notes.events import NoteAdded
from messagecenter.notes.mentions import find_mentions
from messagecenter.notes.models import NOTE_MAX_LENGTH, ConversationNote, NoteMention
from messagecenter.notes.rendering import note_html
from messagecenter.threads.assignment import team_members
from messagecenter.threads.models import Conversation


def note_text(body: str) -> str:
    """The body as stored: one form of each accented letter, one kind of line break, no
    blank lines around it. Length and mentions are judged on this."""
    return unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n")).strip()


def check_note_body(body: str) -> str:
    """The text to store, or a UserFacingError naming what to fix."""
    text = note_text(body)
    if not text:
        raise UserFacingError(_("Write the note before adding it."), field="body")
    if len(text) > NOTE_MAX_LENGTH:
        raise UserFacingError(
            _(
                "A note can be at most %(limit)d characters long; this one has %(length)d. "
                "Shorten it and add it again."
            )
            % {"limit": NOTE_MAX_LENGTH, "length": len(text)},
            field="body",
        )
    return text


def note_add(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    now: datetime | None = None,
) -> ConversationNote:
    """Store a note by a member of the conversation's seller team and the mentions of its
    teammates in it, and publish NoteAdded (notifications emails each one after commit).

    The caller has checked the author's access (access_conversation_as_seller); the team
    is read again here because only its active members can be mentioned. Nothing about
    the conversation itself changes: not its last message, not the reply clock.
    """
    text = check_note_body(body)
    team = team_members(conversation.seller_id)
    if author.pk not in {member.pk for member in team}:
        raise UserFacingError(_("Only the seller's team can add notes to its conversations."))
    # Writing "@" + your own name tells nobody: you know already.
    mentions = [m for m in find_mentions(text, team) if m.user.pk != author.pk]
    with transaction.atomic():
        note = ConversationNote.objects.create(
            conversation=conversation,
            author=author,
            body=text,
            body_html=note_html(text, mentions),
            created_at=now or timezone.now(),
        )
        mentioned = {m.user.pk: m.user for m in mentions}
        rows = NoteMention.objects.bulk_create(
            NoteMention(note=note, user=person) for person in mentioned.values()
        )
        note.mentioned_users = list(mentioned.values())  # type: ignore[attr-defined]
        publish(NoteAdded(note=note, mention_ids=tuple(row.pk for row in rows)))
    return note
