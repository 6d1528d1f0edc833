"""Giving a conversation to one member of the seller's team, and telling them.

The conversation's assigned_to is who looks after it now; ConversationAssignment keeps
every change. The assignee is emailed once (unless they assigned it to themselves),
as their "new message" email preference says.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.accounts.preferences import Kind, wants_now
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.errors import UserFacingError
from messagecenter.threads.models import Conversation, ConversationAssignment

logger = logging.getLogger(__name__)


def team_members(business_id: int) -> list[User]:
    """The active members of a seller business, by name."""
    return list(
        User.objects.filter(memberships__business_id=business_id, is_active=True)
        .distinct()
        .order_by("display_name", "first_name", "last_name", "email")
    )


def conversation_assign(
    *,
    conversation: Conversation,
    assignee: User | None,
    by: User,
    now: datetime | None = None,
) -> Conversation:
    """Give the conversation to a member of its seller's team, or back to the whole team
    (assignee=None). Assigning it to whoever already has it changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.seller_id not in business_ids_for_member(by):
            raise UserFacingError("Only the seller's team can assign its conversations.")
        if assignee is not None and assignee.pk not in {
            member.pk for member in team_members(locked.seller_id)
        }:
            raise UserFacingError(
                "Choose an active member of your team to assign the conversation to.",
                field="assignee",
            )
        new_id = assignee.pk if assignee is not None else None
        if locked.assigned_to_id == new_id:
            return conversation
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        record = ConversationAssignment.objects.create(
            conversation=locked, assignee=assignee, assigned_by=by, assigned_at=now
        )
        if assignee is not None and assignee.pk != by.pk:
            record_id = record.pk
            transaction.on_commit(lambda: _queue_notice(record_id))
    conversation.assigned_to = assignee
    return conversation


def _queue_notice(assignment_id: int) -> None:
    from messagecenter.threads import tasks

    try:
        tasks.send_assignment_notice.apply_async(args=[assignment_id], retry=False)
    except Exception as error:  # the assignment stands; only its email is lost
        logger.warning("Could not queue the notice for assignment %s (%s).", assignment_id, error)


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
        "conversation_url": settings.SITE_URL
        + reverse("seller_conversation", args=[conversation.pk]),
        "settings_url": settings.SITE_URL + reverse("notification_settings"),
    }
    by = record.assigned_by.public_name if record.assigned_by else "Someone"
    email = EmailMultiAlternatives(
        subject=f"{by} assigned you: {conversation.subject}",
        body=render_to_string("email/assignment.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[assignee.email],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "OOF, AutoReply"},
    )
    return email.send()
