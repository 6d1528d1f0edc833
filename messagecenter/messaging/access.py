"""The one door to an attachment file."""

from __future__ import annotations

from django.http import Http404

from messagecenter.accounts.models import User
from messagecenter.messaging.models import Attachment
from messagecenter.threads.access import can_read_conversation


def access_attachment(user: User, attachment_id: int) -> Attachment:
    """An attachment of a conversation the user takes part in; staff may read any."""
    if not user.is_authenticated:
        raise Http404("No such file.")
    attachment = (
        Attachment.objects.select_related("message__conversation")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404("No such file.")
    if user.is_staff or can_read_conversation(user, attachment.message.conversation):
        return attachment
    raise Http404("No such file.")
