"""A delivered message, emailed to the people it is for.

From "<sender> via Marketplace" at the sender's masked address, answerable by Reply (the
relay takes the answer back into the conversation), with the order number in the subject
and a Message-ID that threads the answers. Every address the recipient sees of the other
side is a masked one.
"""

from __future__ import annotations

from email import encoders
from email.mime.base import MIMEBase
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from compliance.sanitize import html_to_text
from messagecenter.accounts.locale import in_the_locale_of
from messagecenter.accounts.models import User
from messagecenter.core.mail import NO_AUTO_REPLIES
from messagecenter.messaging.models import Attachment, Message
from messagecenter.relay.addresses import masked_address, proxy_pair_for
from messagecenter.threads.links import conversation_url
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


def sender_display_name(message: Message) -> str:
    conversation = message.conversation
    if message.sender_side == Side.SELLER:
        return conversation.seller.name
    return conversation.buyer.public_name


def email_subject(message: Message) -> str:
    """The message's subject with the order number in it, so replies can be threaded."""
    subject = message.subject or message.conversation.subject
    order = message.conversation.order
    if order is not None and order.number not in subject:
        # Translators: the order number added to an email's subject; replies are matched
        # by the number alone, so the word may be translated.
        subject = _("%(subject)s (Order %(number)s)") % {"subject": subject, "number": order.number}
    return subject


def _earlier_email_ids(message: Message) -> list[str]:
    return list(
        Message.objects.filter(conversation_id=message.conversation_id, pk__lt=message.pk)
        .exclude(email_message_id="")
        .order_by("-created_at", "-id")
        .values_list("email_message_id", flat=True)[:10]
    )[::-1]


def ensure_email_message_id(message: Message) -> str:
    if not message.email_message_id:
        message.email_message_id = make_msgid(domain=settings.MESSAGECENTER_EMAIL_DOMAIN)
        Message.objects.filter(pk=message.pk).update(email_message_id=message.email_message_id)
    return message.email_message_id


def build_relay_email(message: Message, recipient: User) -> EmailMultiAlternatives:
    """The message as email: from the sender's masked address, answerable by Reply."""
    with in_the_locale_of(recipient):
        conversation = message.conversation
        pair = proxy_pair_for(conversation.buyer, conversation.seller)
        sender_side = Side(message.sender_side)
        recipient_side = Side.BUYER if sender_side == Side.SELLER else Side.SELLER
        masked = masked_address(pair, sender_side)
        sender_name = sender_display_name(message)
        # Translators: the name an email comes from: "Anna's Shop via Marketplace".
        shown_as = _("%(sender)s via %(marketplace)s") % {
            "sender": sender_name,
            "marketplace": settings.MARKETPLACE_NAME,
        }
        from_header = formataddr((shown_as, masked))
        attachments = list(message.attachments.all())
        context = {
            "recipient": recipient,
            "sender_name": sender_name,
            "conversation": conversation,
            "message": message,
            "message_text": html_to_text(message.body_html),
            "attachment_names": [a.original_name for a in attachments],
            "conversation_url": conversation_url(conversation, recipient_side),
            "marketplace": settings.MARKETPLACE_NAME,
        }
        headers = {"Message-ID": ensure_email_message_id(message), **NO_AUTO_REPLIES}
        earlier = _earlier_email_ids(message)
        if earlier:
            headers["In-Reply-To"] = earlier[-1]
            headers["References"] = " ".join(earlier)
        email = EmailMultiAlternatives(
            subject=email_subject(message),
            body=render_to_string("email/new_message.txt", context),
            from_email=from_header,
            to=[recipient.email],
            reply_to=[masked],
            headers=headers,
        )
        email.attach_alternative(render_to_string("email/new_message.html", context), "text/html")
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        if f'src="cid:{attachment.original_name}"' in message.body_html:
            email.attach(_inline_part(attachment, data))
        else:
            email.attach(attachment.original_name, data, attachment.content_type)
    return email


def _inline_part(attachment: Attachment, data: bytes) -> MIMEBase:
    """A picture the body shows inline ("cid:<name>"), so mail programs show it in place."""
    maintype, _, subtype = (attachment.content_type or "application/octet-stream").partition("/")
    part = MIMEBase(maintype, subtype or "octet-stream")
    part.set_payload(data)
    encoders.encode_base64(part)
    part.add_header("Content-ID", f"<{attachment.original_name}>")
    part.add_header("Content-Disposition", "inline", filename=attachment.original_name)
    return part
