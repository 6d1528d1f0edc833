"""What a conversation page says under its messages while it is open: "Seen" when the
other side opened it after the viewer's side's last message, and, on the seller's side,
which teammates are writing an answer now. Rendered with the page and again by the live
status fragment (views/live.py) when an event says it changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Side
from messagecenter.threads.replying import replying_user_ids


@dataclass(frozen=True)
class LiveStatus:
    seen: bool
    replying: list[str]  # the names of the teammates writing an answer now


def seen_by_other_side(
    newest: Message | None, side: str, other_side_read_at: datetime | None
) -> bool:
    """The conversation's newest message is the viewer's side's, delivered, and the other
    side opened the conversation since."""
    return (
        newest is not None
        and newest.sender_side == side
        and newest.status == Message.Status.DELIVERED
        and newest.delivered_at is not None
        and other_side_read_at is not None
        and other_side_read_at >= newest.delivered_at
    )


def replying_names(
    conversation_id: int, viewer: User, team: Callable[[], Iterable[User]]
) -> list[str]:
    """The viewer's teammates writing in the conversation; the team is read only when
    someone is (the page has it already, the live fragment asks for it then)."""
    writers = [user_id for user_id in replying_user_ids(conversation_id) if user_id != viewer.pk]
    if not writers:
        return []
    names = {member.pk: member.public_name for member in team()}
    return [names[user_id] for user_id in writers if user_id in names]


def live_status(
    *,
    conversation_id: int,
    side: str,
    viewer: User,
    newest: Message | None,
    other_side_read_at: datetime | None,
    team: Callable[[], Iterable[User]],
) -> LiveStatus:
    return LiveStatus(
        seen=seen_by_other_side(newest, side, other_side_read_at),
        replying=replying_names(conversation_id, viewer, team) if side == Side.SELLER else [],
    )
