"""The team's state of a conversation: closed, reopened, snoozed until a time, woken.

Closing says "done for now": the conversation leaves the Awaiting reply, Overdue and Due
soon lists and their counts, and the Closed tab shows it. Snoozing takes it out of every
list but Snoozed (and Unread, which shows what the navigation's badge counts) until the
time chosen; it comes back by itself, because the lists compare ``snoozed_until`` with
the present moment (selectors.in_work_lists), with no worker to wake it.

Neither touches the reply clock. A buyer waiting on a closed or snoozed conversation
still waits: the message's due time stands, the reminder still goes, and an answer after
the 24 hours still counts as late in the performance figures. So closing is no way round
the rule; the page says so before closing and points to a reply or "No response needed"
(clock/reply_clock.py), the only two ways to stop a clock. Snoozing past the due time is
refused unless the seller confirms it, the deadline named in their time zone.

A buyer's new message, whichever way it comes (web, email, API), reopens and wakes the
conversation: messaging's delivery records it (``conversation_wake_on_buyer_message``),
in the transaction that records the message as the conversation's last word.

Every change is kept as a ConversationStateChange row; the counts' cache hears of it
through ConversationStateChanged (messaging/handlers.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.errors import UserFacingError
from messagecenter.core.events import publish
from messagecenter.threads.events import ConversationStateChanged
from messagecenter.threads.models import Conversation, ConversationStateChange
from messagecenter.threads.unread import LockedConversation

# How far ahead a conversation may be snoozed: beyond it, close it instead.
SNOOZE_AT_MOST = timedelta(days=90)


class SnoozePastDeadline(UserFacingError):
    """The snooze would end after the answer to the buyer is due; the seller must confirm."""

    def __init__(self, due_at: datetime) -> None:
        super().__init__(
            _("Snoozing past the reply deadline needs your confirmation."),
            field="until",
            code="past_deadline",
        )
        self.due_at = due_at


def _locked_for_team(conversation: Conversation, by: User) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.seller_id not in business_ids_for_member(by):
        raise UserFacingError(_("Only the seller's team can change a conversation's state."))
    return locked


def _record(
    locked: Conversation,
    action: str,
    *,
    by: User | None,
    at: datetime,
    snoozed_until: datetime | None = None,
) -> None:
    ConversationStateChange.objects.create(
        conversation=locked,
        action=action,
        by=by,
        by_buyer_message=by is None,
        at=at,
        snoozed_until=snoozed_until,
    )


def _copy_state(conversation: Conversation, locked: Conversation) -> Conversation:
    conversation.closed_at = locked.closed_at
    conversation.snoozed_until = locked.snoozed_until
    return conversation


def conversation_close(
    *, conversation: Conversation, by: User, now: datetime | None = None
) -> Conversation:
    """Close the conversation (done for now). A snooze ends with it. The reply clock keeps
    running: closing never stops a buyer's wait (see the module's docstring)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_for_team(conversation, by)
        if locked.closed_at is not None:
            raise UserFacingError(_("This conversation is closed already."))
        locked.closed_at, locked.snoozed_until = now, None
        locked.save(update_fields=["closed_at", "snoozed_until"])
        _record(locked, ConversationStateChange.Action.CLOSED, by=by, at=now)
        publish(ConversationStateChanged(locked.pk, locked.seller_id))
    return _copy_state(conversation, locked)


def conversations_close(
    *, conversations: Sequence[Conversation], by: User, now: datetime | None = None
) -> list[Conversation]:
    """Close each open conversation of the list in a few statements, whatever its length
    (bulk actions); returns those it closed. The caller checked access to each."""
    now = now or timezone.now()
    ids = [c.pk for c in conversations]
    member_of = set(business_ids_for_member(by))
    with transaction.atomic():
        open_ones = list(
            Conversation.objects.select_for_update()
            .filter(pk__in=ids, closed_at__isnull=True, seller_id__in=member_of)
            .order_by("pk")
            .only("pk", "seller_id")
        )
        Conversation.objects.filter(pk__in=[c.pk for c in open_ones]).update(
            closed_at=now, snoozed_until=None
        )
        ConversationStateChange.objects.bulk_create(
            ConversationStateChange(
                conversation_id=c.pk, action=ConversationStateChange.Action.CLOSED, by=by, at=now
            )
            for c in open_ones
        )
        for seller_id in {c.seller_id for c in open_ones}:
            publish(ConversationStateChanged(None, seller_id))
    closed_ids = {c.pk for c in open_ones}
    return [c for c in conversations if c.pk in closed_ids]


def conversation_reopen(
    *, conversation: Conversation, by: User, now: datetime | None = None
) -> Conversation:
    """Open a closed conversation again: it is back in the lists it belongs to."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_for_team(conversation, by)
        if locked.closed_at is None:
            raise UserFacingError(_("This conversation is open already."))
        locked.closed_at = None
        locked.save(update_fields=["closed_at"])
        _record(locked, ConversationStateChange.Action.REOPENED, by=by, at=now)
        publish(ConversationStateChanged(locked.pk, locked.seller_id))
    return _copy_state(conversation, locked)


def conversation_snooze(
    *,
    conversation: Conversation,
    by: User,
    until: datetime,
    past_deadline_confirmed: bool = False,
    now: datetime | None = None,
) -> Conversation:
    """Take the conversation out of the lists until ``until``; it comes back by itself.

    Refused for a closed conversation, a time not in the future or more than
    SNOOZE_AT_MOST ahead, and (SnoozePastDeadline) a time after the answer to the buyer
    is due, unless the seller confirmed that they mean it.
    """
    now = now or timezone.now()
    if until <= now:
        raise UserFacingError(_("Choose a time in the future to snooze until."), field="until")
    if until > now + SNOOZE_AT_MOST:
        raise UserFacingError(
            _("A conversation can be snoozed for 90 days at most; close it instead."),
            field="until",
        )
    with transaction.atomic():
        locked = _locked_for_team(conversation, by)
        if locked.closed_at is not None:
            raise UserFacingError(_("Reopen the conversation before snoozing it."))
        due = locked.reply_due_at
        if due is not None and until > due and not past_deadline_confirmed:
            raise SnoozePastDeadline(due)
        locked.snoozed_until = until
        locked.save(update_fields=["snoozed_until"])
        _record(locked, ConversationStateChange.Action.SNOOZED, by=by, at=now, snoozed_until=until)
        publish(ConversationStateChanged(locked.pk, locked.seller_id))
    return _copy_state(conversation, locked)


def conversation_wake(
    *, conversation: Conversation, by: User, now: datetime | None = None
) -> Conversation:
    """End a snooze now: the conversation is back in the lists."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_for_team(conversation, by)
        if locked.snoozed_until is None or locked.snoozed_until <= now:
            raise UserFacingError(_("This conversation is not snoozed."))
        locked.snoozed_until = None
        locked.save(update_fields=["snoozed_until"])
        _record(locked, ConversationStateChange.Action.WOKEN, by=by, at=now)
        publish(ConversationStateChanged(locked.pk, locked.seller_id))
    return _copy_state(conversation, locked)


def conversation_wake_on_buyer_message(
    locked: LockedConversation, conversation: Conversation, at: datetime
) -> None:
    """The buyer wrote (a message delivered at ``at``): a closed conversation reopens and
    a snoozed one wakes. Called by messaging's delivery in the transaction that locked the
    conversation row (``locked``: its state then), so no query at all when it was neither,
    which is nearly always."""
    closed = locked.closed_at is not None
    snoozed = locked.snoozed_until is not None and locked.snoozed_until > at
    if not closed and locked.snoozed_until is None:
        return
    Conversation.objects.filter(pk=locked.pk).update(closed_at=None, snoozed_until=None)
    conversation.closed_at = conversation.snoozed_until = None
    changes = [ConversationStateChange.Action.REOPENED] if closed else []
    if snoozed:
        changes.append(ConversationStateChange.Action.WOKEN)
    ConversationStateChange.objects.bulk_create(
        ConversationStateChange(
            conversation_id=locked.pk, action=action, by=None, by_buyer_message=True, at=at
        )
        for action in changes
    )
    publish(ConversationStateChanged(locked.pk, locked.seller_id))
