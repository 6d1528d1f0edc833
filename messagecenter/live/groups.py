"""The channel-layer groups a page listens to, and what an event on them says.

A conversation has one group per side: both sides hear its new messages and read
receipts, only the seller's team hears who is writing an answer. A buyer's inbox and
badges hear their own user group, a seller team's those of its business; every page of a
user listens to their user group, as their own unread count moves when they read.

Events carry ids only (``event_payload``): a page that hears one fetches what it may see
through the same access functions as its own request (inbox/views/live.py).
"""

from __future__ import annotations

from typing import Literal

GroupSide = Literal["buyer", "seller"]
EVENT_TYPE = "live.event"  # the consumer's method that relays it (LiveConsumer.live_event)

# What happened; the page decides what to fetch again.
MESSAGE = "message"  # a message became visible in the conversation
READ = "read"  # someone opened the conversation
REPLYING = "replying"  # a team member started or stopped writing an answer
INBOX = "inbox"  # the inbox rows and the counts of the group's people may have changed


def conversation_group(conversation_id: int, side: GroupSide) -> str:
    return f"conversation.{conversation_id}.{side}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def business_group(business_id: int) -> str:
    return f"business.{business_id}"


def event_payload(event: str, **ids: int) -> dict[str, object]:
    """The message sent to a group: the event's name and the ids it is about, nothing else
    (no text, no names: those are read by the page through its access check)."""
    assert all(isinstance(value, int) for value in ids.values()), ids
    return {"type": EVENT_TYPE, "event": event, **ids}
