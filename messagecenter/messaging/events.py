"""What messaging tells the apps above it (see messagecenter.core.events).

Published inside the sending or delivering transaction. Subscribers: moderation records
violations and restricts repeat offenders (MessageStored); the reply clock starts and stops
clocks (MessageDelivered); notifications emails recipients and bounce notices; webhooks tell
the seller's systems.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.engine import Verdict
from compliance.policy import PolicyConfig
from messagecenter.messaging.models import Message


@dataclass(frozen=True)
class MessageStored:
    """Any message was written, whatever its outcome (blocked ones too). ``file_names``:
    the files it goes with (none for a blocked one: they stay the sender's uploads)."""

    message: Message
    verdict: Verdict
    policy: PolicyConfig
    file_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class MessageDelivered:
    """A message became visible to the recipient (at once, or after review).

    ``message.is_automatic`` marks an out-of-office answer: nobody is notified of it as a
    new word, and it answers nothing.
    """

    message: Message


@dataclass(frozen=True)
class MessageHeld:
    """A message waits for an administrator's review."""

    message: Message


@dataclass(frozen=True)
class MessageUndeliverable:
    """A seller's message was kept but not delivered: the buyer opted out of its kind."""

    message: Message
