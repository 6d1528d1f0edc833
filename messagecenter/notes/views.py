"""The "Add internal note" form's POST: store the note, then back to the conversation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.notes.drafts import RefusedNote, keep_refused_note
from messagecenter.notes.services import note_add
from messagecenter.threads.access import access_conversation_as_seller


@login_required
@require_POST
def note_add_view(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    conversation = access_conversation_as_seller(request.user, conversation_id)
    page = reverse("seller_conversation", args=[conversation.pk])
    body = request.POST.get("body", "")
    try:
        note = note_add(conversation=conversation, author=request.user, body=body)
    except UserFacingError as error:
        # Back to the page with the text and the reason (notes/drafts.py).
        keep_refused_note(request.session, conversation.pk, RefusedNote(body, error.message))
        return redirect(f"{page}#add-note")
    mentioned = [person.public_name for person in note.mentioned_users]  # type: ignore[attr-defined]
    if mentioned:
        messages.success(
            request,
            _("Internal note added. Mentioned, and told by email as they chose: %(names)s.")
            % {"names": get_text_list(mentioned, _("and"))},
        )
    else:
        messages.success(request, _("Internal note added. Only your team sees it."))
    return redirect(f"{page}#note-{note.pk}")
