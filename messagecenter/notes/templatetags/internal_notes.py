"""The internal notes panel's data, for templates/includes/conversation_notes.html.

A tag rather than view context so the conversation page (and any page that shows a
conversation to its seller's team) gets the panel with one include line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import template

from messagecenter.core.keyset import KeysetPage
from messagecenter.notes.drafts import take_refused_note
from messagecenter.notes.forms import NoteForm
from messagecenter.notes.mentions import names_of
from messagecenter.notes.selectors import NOTES_CURSOR, notes_page
from messagecenter.threads.models import Conversation

register = template.Library()


@dataclass(frozen=True)
class NotesPanel:
    page: KeysetPage
    form: NoteForm
    error: str

    @property
    def notes(self) -> list[Any]:
        """The page's notes, oldest first, as a thread reads."""
        return list(reversed(self.page.object_list))


@register.simple_tag(takes_context=True)
def notes_panel(context: template.Context, conversation: Conversation) -> NotesPanel | None:
    """The panel for the seller's team; None for anyone else (the buyer's page)."""
    request = context.get("request")
    if request is None or not getattr(conversation, "viewer_is_member", False):
        # Only a conversation loaded by access_conversation_as_seller carries the flag.
        return None
    refused = take_refused_note(request.session, conversation.pk)
    form = NoteForm(initial={"body": refused.body} if refused else None, auto_id="note-%s")
    if refused:
        form.fields["body"].widget.attrs.update(
            {"aria-invalid": "true", "aria-describedby": "note-error"}
        )
    # The team the page read already (the assignment form's), for static/js/mentions.js to
    # suggest after "@"; a page without it offers no suggestions rather than another query.
    assign_form = context.get("assign_form")
    # The writer is left out: mentioning oneself tells nobody.
    members = [
        member
        for member in getattr(assign_form, "members", {}).values()
        if member.pk != request.user.pk
    ]
    names = sorted({max(names_of(member), key=len) for member in members if names_of(member)})
    if names:
        form.fields["body"].widget.attrs["data-mention-names"] = json.dumps(names)
    # Read with the page's other reads when the view did (inbox/conversation_reads.py).
    page = context.get("notes_page")
    if page is None:
        page = notes_page(conversation, request.GET.get(NOTES_CURSOR) or None)
    return NotesPanel(
        page=page,
        form=form,
        error=refused.error if refused else "",
    )
