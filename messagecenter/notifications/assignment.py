"""Telling a team member that a conversation was given to them: once, and only while it
is still theirs and they want email about new messages now."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from messagecenter.accounts.preferences import Kind, wants_now
from messagecenter.core.mail import AUTO_GENERATED
from messagecenter.threads.links import conversation_url
from messagecenter.threads.models import ConversationAssignment, Side


def send_assignment_notice(assignment_id: int) -> int:
    """Email the assignee once, if the conversation is still theirs and they want it now."""
    claimed = ConversationAssignment.objects.filter(
        pk=assignment_id, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return 0
    try:
        return _send_notice(assignment_id)
    except Exception:
        ConversationAssignment.objects.filter(pk=assignment_id).update(notified_at=None)
        raise


def _send_notice(assignment_id: int) -> int:
    record = ConversationAssignment.objects.select_related(
        "assignee", "assigned_by", "conversation__buyer", "conversation__order"
    ).get(pk=assignment_id)
    conversation, assignee = record.conversation, record.assignee
    if assignee is None or not assignee.is_active or conversation.assigned_to_id != assignee.pk:
        return 0
    if not wants_now([assignee], Kind.NEW_MESSAGE):
        return 0
    context = {
        "assignee": assignee,
        "assigned_by": record.assigned_by,
        "conversation": conversation,
        "buyer_name": conversation.buyer.public_name,
        "conversation_url": conversation_url(conversation, Side.SELLER),
        "settings_url": settings.SITE_URL + reverse("notification_settings"),
    }
    by = record.assigned_by.public_name if record.assigned_by else "Someone"
    email = EmailMultiAlternatives(
        subject=f"{by} assigned you: {conversation.subject}",
        body=render_to_string("email/assignment.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[assignee.email],
        headers=AUTO_GENERATED,
    )
    return email.send()
