"""Notices to the sender about their own message: not delivered because the buyer opted
out (a bounce), and what review decided about a held message."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from messagecenter.accounts.locale import in_the_locale_of
from messagecenter.accounts.models import User
from messagecenter.accounts.preferences import Kind, wants_now
from messagecenter.core.mail import AUTO_GENERATED
from messagecenter.messaging.models import Message
from messagecenter.notifications.message_email import email_subject
from messagecenter.threads.links import conversation_url
from messagecenter.threads.models import Side


def _notice(
    subject: str, template: str, context: dict[str, Any], to: User
) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to.email],
        headers=AUTO_GENERATED,
    )
    return email


def send_bounce_notice(message: Message) -> int:
    """Tell the seller who wrote it that a message was not delivered (buyer opted out)."""
    sender = message.sender
    if sender is None or not sender.is_active or not wants_now([sender], Kind.BOUNCE):
        return 0
    with in_the_locale_of(sender):
        context = {
            "message": message,
            "conversation": message.conversation,
            "conversation_url": conversation_url(message.conversation, Side.SELLER),
        }
        # Translators: subject of the notice that a message was not delivered (buyer opted out).
        subject = _("Not delivered: %(subject)s") % {"subject": email_subject(message)}
        return _notice(subject, "bounce", context, sender).send()


def send_review_decision_notice(message: Message) -> int:
    """Tell the sender what the marketplace decided about their held message."""
    sender = message.sender
    if sender is None or not sender.is_active:
        return 0
    if not wants_now([sender], Kind.REVIEW_DECISION):
        return 0
    with in_the_locale_of(sender):
        side = Side(message.sender_side)
        context = {
            "message": message,
            "conversation": message.conversation,
            "conversation_url": conversation_url(message.conversation, side),
        }
        subject = (
            _("Delivered after review: %(subject)s")
            if message.status == Message.Status.DELIVERED
            else _("Not delivered after review: %(subject)s")
        ) % {"subject": email_subject(message)}
        return _notice(subject, "review_decision", context, sender).send()
