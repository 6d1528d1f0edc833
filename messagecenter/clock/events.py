"""What the reply clock tells the apps above it (see messagecenter.core.events)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RemindersClaimed:
    """A sweep claimed these reminders: the buyer messages they are about are due soon.

    Published inside the sweep's transaction; webhooks report reply.due_soon.
    """

    reminder_ids: tuple[int, ...]
