"""A note that could not be added, kept for the conversation page to show again.

The note form is a plain POST that redirects back to the conversation page (which other
features render too); a refused note's text and the reason are kept in the writer's
session for that one page view, so nothing they typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase


@dataclass(frozen=True)
class RefusedNote:
    body: str
    error: str


def _key(conversation_id: int) -> str:
    return f"notes.refused.{conversation_id}"


def keep_refused_note(session: SessionBase, conversation_id: int, note: RefusedNote) -> None:
    session[_key(conversation_id)] = {"body": note.body, "error": note.error}


def take_refused_note(session: SessionBase, conversation_id: int) -> RefusedNote | None:
    """The refused note, once: the next view of the page starts with an empty box."""
    kept = session.pop(_key(conversation_id), None)  # the session is saved only if it had one
    if not isinstance(kept, dict):
        return None
    return RefusedNote(body=str(kept.get("body", "")), error=str(kept.get("error", "")))
