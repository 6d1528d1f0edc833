"""What the seller's conversation page shows of the team's state (threads/state.py):
closed or snoozed, the snooze form with its quick choices in the seller's time zone, the
reply deadline the snooze must not pass unconfirmed, and who changed the state lately."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from messagecenter.threads.models import Conversation
from messagecenter.threads.state_forms import SnoozeForm, quick_snooze_times
from messagecenter.threads.state_history import StateHistoryEntry


def conversation_state_card(
    conversation: Conversation, history: list[StateHistoryEntry], now: datetime | None = None
) -> dict[str, object]:
    now = now or timezone.now()
    snoozed = conversation.snoozed_until is not None and conversation.snoozed_until > now
    due = conversation.reply_due_at
    quick = quick_snooze_times(now)
    return {
        "state": {
            "closed": conversation.closed_at is not None,
            "snoozed_until": conversation.snoozed_until if snoozed else None,
            "buyer_waiting": due is not None,
            "reply_due_at": due,
            "history": history,
            "quick": [
                {"value": value, "at": at, "past_deadline": due is not None and at > due}
                for value, at in quick.items()
            ],
        },
        "snooze_form": SnoozeForm(
            initial={"until": timezone.localtime(quick["tomorrow"]).replace(tzinfo=None)}
        ),
    }
