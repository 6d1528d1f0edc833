"""What someone wrote and wants to send: the input of every way a message comes in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message, Upload
from messagecenter.threads.models import Side


@dataclass(frozen=True)
class Draft:
    """What someone wrote and wants to send, before any check."""

    sender: User
    side: Side
    message_type: str
    subject: str
    body: str
    uploads: Sequence[Upload] = ()
    via: Message.Via = Message.Via.WEB
    automatic: bool = False  # an automatic email reply (out of office and the like)
