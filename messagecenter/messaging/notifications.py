"""The email that tells a recipient a new message has arrived."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from compliance.sanitize import html_to_text
from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Side


def notification_recipients(message: Message) -> list[User]:
    """The other side of the conversation: the buyer, or every active team member."""
    conversation = message.conversation
    if message.sender_side == Side.SELLER:
        recipients = [conversation.buyer] if conversation.buyer.is_active else []
    else:
        recipients = list(
            User.objects.filter(
                memberships__business_id=conversation.seller_id, is_active=True
            ).distinct()
        )
    return [user for user in recipients if user.pk != message.sender_id]


def _conversation_url(message: Message, recipient_side: Side) -> str:
    name = "seller_conversation" if recipient_side == Side.SELLER else "buyer_conversation"
    return settings.SITE_URL + reverse(name, args=[message.conversation_id])


def build_notification_email(message: Message, recipient: User) -> EmailMultiAlternatives:
    conversation = message.conversation
    recipient_side = Side.BUYER if message.sender_side == Side.SELLER else Side.SELLER
    sender_name = (
        conversation.seller.name
        if message.sender_side == Side.SELLER
        else conversation.buyer.public_name
    )
    context = {
        "recipient": recipient,
        "sender_name": sender_name,
        "conversation": conversation,
        "message": message,
        "message_text": html_to_text(message.body_html),
        "attachment_names": [a.original_name for a in message.attachments.all()],
        "conversation_url": _conversation_url(message, recipient_side),
    }
    about = f" about order {conversation.order.number}" if conversation.order else ""
    email = EmailMultiAlternatives(
        subject=f"New message from {sender_name}{about}",
        body=render_to_string("email/new_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    email.attach_alternative(render_to_string("email/new_message.html", context), "text/html")
    return email


def send_notification_emails(message: Message) -> int:
    emails = [build_notification_email(message, r) for r in notification_recipients(message)]
    if not emails:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(emails) or 0
