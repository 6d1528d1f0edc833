"""The seller inbox's bulk actions: assign, mark read, "no response needed" and close, on
the conversations selected on the page.

Every id goes through the one door (access_conversation_as_seller) before anything is
done; one that is not the user's (or no longer exists) stops the whole action, so nothing
is half done. Each action then reuses the service that does it for one conversation, so
the rules are the same as on the conversation page: "no response needed" only where
clock/reply_clock.mark_no_response_needed allows it, the rest skipped with the reason.
Closing is set-based (threads/state.conversations_close); the others cost a few queries
per conversation, within the cap of state_forms.BULK_AT_MOST.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.clock.reply_clock import mark_no_response_needed, running_clocks
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.models import Message
from messagecenter.threads.access import access_conversation_as_seller
from messagecenter.threads.assignment import conversation_assign, team_members
from messagecenter.threads.models import Conversation
from messagecenter.threads.services import conversation_open
from messagecenter.threads.state import conversations_close


class ForeignConversation(UserFacingError):
    """A selected id is not a conversation of the user's businesses: nothing was done."""


@dataclass
class BulkOutcome:
    """How many conversations the action changed, how many needed no change, and the
    ones it skipped with the reason (the conversation's subject first)."""

    done: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)


def accessible_conversations(user: User, ids: Sequence[int]) -> list[Conversation]:
    """Each selected conversation through the access door, or ForeignConversation."""
    try:
        return [access_conversation_as_seller(user, conversation_id) for conversation_id in ids]
    except Http404 as missing:
        raise ForeignConversation(
            _(
                "One of the selected conversations is not one of your business's, or no "
                "longer exists, so nothing was changed. Reload the inbox and select again."
            )
        ) from missing


def bulk_assignees(user: User) -> list[User]:
    """Whom the bulk bar offers to assign to: the members of the user's businesses (most
    work for one), each once, by name."""
    members: dict[int, User] = {}
    for business_id in business_ids_for_member(user):
        for member in team_members(business_id):
            members.setdefault(member.pk, member)
    return list(members.values())


def bulk_assign(
    conversations: Sequence[Conversation], *, assignee: User | None, by: User
) -> BulkOutcome:
    outcome = BulkOutcome()
    for conversation in conversations:
        if conversation.assigned_to_id == (assignee.pk if assignee else None):
            outcome.unchanged += 1
            continue
        conversation_assign(conversation=conversation, assignee=assignee, by=by)
        outcome.done += 1
    return outcome


def bulk_mark_read(conversations: Sequence[Conversation], *, by: User) -> BulkOutcome:
    outcome = BulkOutcome()
    for conversation in conversations:
        # Opening reads the viewer's marker the door loaded: no write when already read.
        conversation_open(conversation=conversation, user=by)
        outcome.done += 1
    return outcome


def bulk_close(conversations: Sequence[Conversation], *, by: User) -> BulkOutcome:
    closed = conversations_close(conversations=conversations, by=by)
    return BulkOutcome(done=len(closed), unchanged=len(conversations) - len(closed))


def bulk_no_response_needed(conversations: Sequence[Conversation], *, by: User) -> BulkOutcome:
    """Mark every waiting buyer message of each conversation as needing no response, where
    the rule allows it (before the message is due); a conversation with nothing waiting,
    or with a message past its due time, is skipped whole, with the reason."""
    now = timezone.now()
    by_id = {c.pk: c for c in conversations}
    waiting: dict[int, list[Message]] = {pk: [] for pk in by_id}
    for message in running_clocks().filter(conversation_id__in=list(by_id)).order_by("pk"):
        waiting[message.conversation_id].append(message)
    outcome = BulkOutcome()
    for pk, conversation in by_id.items():
        if not waiting[pk]:
            outcome.skipped.append((conversation.subject, _("no buyer message is waiting")))
            continue
        if any(m.reply_due_at is not None and now >= m.reply_due_at for m in waiting[pk]):
            outcome.skipped.append(
                (conversation.subject, _("the time to answer has passed: send a reply"))
            )
            continue
        try:
            for message in waiting[pk]:
                mark_no_response_needed(message=message, by=by, now=now)
        except UserFacingError as refused:
            outcome.skipped.append((conversation.subject, refused.message))
            continue
        outcome.done += 1
    return outcome
