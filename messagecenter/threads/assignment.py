"""Giving a conversation to one member of the seller's team.

The conversation's assigned_to is who looks after it now; ConversationAssignment keeps
every change. Each change is published (ConversationAssigned): notifications emails the
assignee.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import Membership, User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.core.joined_row import MAIN, JoinedRow
from messagecenter.core.one_round_trip import Statement, rows_of_each
from messagecenter.threads.events import ConversationAssigned
from messagecenter.threads.models import Conversation, ConversationAssignment

# A member as the pages and forms use one: the whole User, as the ORM reads it.
_MEMBER = JoinedRow(User)


def team_members_statement(business_id: int) -> Statement:
    """The statement team_members runs, for a page that reads the team with its other
    reads in one round trip (team_members_from makes the members of its rows)."""
    # No DISTINCT: a user has one membership per business (unique_membership), so the join
    # repeats nobody, and the sort and de-duplication were most of the query's cost.
    return (
        f"SELECT {_MEMBER.columns} FROM {_MEMBER.tables}"  # noqa: S608 (names from the models)
        f" JOIN {Membership._meta.db_table} membership ON membership.user_id = {MAIN}.id"
        f" WHERE membership.business_id = %s AND {MAIN}.is_active = %s"
        f" ORDER BY {MAIN}.display_name, {MAIN}.first_name, {MAIN}.last_name, {MAIN}.email",
        [business_id, True],
    )


def team_members_from(rows: Sequence[Sequence[Any]]) -> list[User]:
    members = [member for member, _ in _MEMBER.instances(rows)]
    assert all(isinstance(member, User) for member in members)
    return members  # type: ignore[return-value]


def team_members(business_id: int) -> list[User]:
    """The active members of a seller business, by name."""
    [rows] = rows_of_each([team_members_statement(business_id)])
    return team_members_from(rows)


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
            raise UserFacingError(_("Only the seller's team can assign its conversations."))
        if assignee is not None and assignee.pk not in {
            member.pk for member in team_members(locked.seller_id)
        }:
            raise UserFacingError(
                _("Choose an active member of your team to assign the conversation to."),
                field="assignee",
            )
        return _record(locked, conversation, assignee=assignee, by=by, now=now)


def conversation_assign_by_routing(
    *, conversation: Conversation, assignee: User, now: datetime | None = None
) -> Conversation:
    """Give a new conversation to the member its topic is routed to (topic_routing.py):
    the same change and notice as a person's assignment, recorded as the routing's, with
    nobody as the one who assigned it. The caller has checked the member is on the team."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        return _record(locked, conversation, assignee=assignee, by=None, now=now, routed=True)


def _record(
    locked: Conversation,
    conversation: Conversation,
    *,
    assignee: User | None,
    by: User | None,
    now: datetime,
    routed: bool = False,
) -> Conversation:
    """Change the locked conversation's assignee, keep the change in its history and tell
    the apps above (the assignee's notice)."""
    new_id = assignee.pk if assignee is not None else None
    if locked.assigned_to_id == new_id:
        return conversation
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to"])
    record = ConversationAssignment.objects.create(
        conversation=locked,
        assignee=assignee,
        assigned_by=by,
        assigned_at=now,
        by_topic_routing=routed,
    )
    publish(ConversationAssigned(record))
    conversation.assigned_to = assignee
    return conversation
