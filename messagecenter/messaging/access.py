"""The one door to an attachment file."""

from __future__ import annotations

from django.http import Http404

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.messaging.models import Attachment, Message
from messagecenter.messaging.selectors import OWN_UNDELIVERED
from messagecenter.threads.access import can_read_conversation
from messagecenter.threads.models import Side


def access_attachment(user: User, attachment_id: int) -> Attachment:
    """An attachment of a message the user may read; staff may read any."""
    if not user.is_authenticated:
        raise Http404("No such file.")
    attachment = (
        Attachment.objects.select_related("message__conversation").filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise Http404("No such file.")
    if user.is_staff or can_read_message(user, attachment.message):
        return attachment
    raise Http404("No such file.")


def can_read_message(user: User, message: Message) -> bool:
    """The same rule as the conversation page (messages_in_conversation): delivered
    messages are read by both sides, held and rejected ones only by the side that wrote
    them, blocked ones by nobody but staff."""
    conversation = message.conversation
    if message.status == Message.Status.DELIVERED:
        return can_read_conversation(user, conversation)
    if message.status not in OWN_UNDELIVERED:
        return False
    if message.sender_side == Side.BUYER:
        return conversation.buyer_id == user.pk
    return conversation.seller_id in business_ids_for_member(user)
