"""Giving a conversation to one member of the seller's team.

The conversation's assigned_to is who looks after it now; ConversationAssignment keeps
every change. Each change is published (ConversationAssigned): notifications emails the
assignee.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.threads.events import ConversationAssigned
from messagecenter.threads.models import Conversation, ConversationAssignment


def team_members(business_id: int) -> list[User]:
    """The active members of a seller business, by name."""
    # No DISTINCT: a user has one membership per business (unique_membership), so the join
    # repeats nobody, and the sort and de-duplication were most of the query's cost.
    return list(
        User.objects.filter(memberships__business_id=business_id, is_active=True).order_by(
            "display_name", "first_name", "last_name", "email"
        )
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
        publish(ConversationAssigned(record))
    conversation.assigned_to = assignee
    return conversation
