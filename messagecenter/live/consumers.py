"""The page's socket: authorized once on connect, then it only relays ids.

A page connects to ``/ws/live/``, a conversation page with ``?conversation=<id>&side=<side>``.
The session's user must be logged in, and a conversation is only listened to after the
same access check its page makes (threads/access.py): anything else is refused before
the handshake completes (a 403 to the browser, close code 4403 in ASGI). It then hears the
groups of groups.py and passes their events on as they are; the page fetches what they are about.

The only frames a page sends are a seller team member's "I am writing an answer"
(``{"type": "replying", "writing": true|false}``), throttled by the page and again here.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.ids import parse_id
from messagecenter.live.groups import (
    REPLYING,
    GroupSide,
    business_group,
    conversation_group,
    event_payload,
    user_group,
)
from messagecenter.threads.access import (
    access_conversation_as_buyer,
    access_conversation_as_seller,
)
from messagecenter.threads.replying import replying_started, replying_stopped

REFUSED = 4403  # not logged in, or not this user's conversation (the same answer for both)
# A page repeats its "writing" frame every few seconds; more often than this is ignored.
MIN_SECONDS_BETWEEN_FRAMES = 1.0


class LiveConsumer(AsyncJsonWebsocketConsumer):
    user: User
    conversation_id: int | None = None
    side: GroupSide | None = None
    last_frame_at: float = 0.0

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=REFUSED)
            return
        self.user = user
        wanted = _wanted_conversation(self.scope.get("query_string", b""))
        if wanted is not None and not await _may_listen(user, *wanted):
            await self.close(code=REFUSED)
            return
        groups = [user_group(user.pk)]
        groups += [business_group(b) for b in await _business_ids(user)]
        if wanted is not None:
            self.conversation_id, self.side = wanted
            groups.append(conversation_group(*wanted))
        self.groups = groups  # left again by the base class on disconnect
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self._writing(False)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == REPLYING:
            await self._writing(content.get("writing") is True)

    async def live_event(self, event: dict[str, Any]) -> None:
        """An event of one of the socket's groups, passed on as it came: ids only."""
        await self.send_json({key: value for key, value in event.items() if key != "type"})

    async def _writing(self, writing: bool) -> None:
        """Only a seller's team member listening to a conversation writes answers there."""
        if self.side != "seller" or self.conversation_id is None:
            return
        now = time.monotonic()
        if writing and now - self.last_frame_at < MIN_SECONDS_BETWEEN_FRAMES:
            return
        self.last_frame_at = now if writing else 0.0
        change = replying_started if writing else replying_stopped
        changed = await database_sync_to_async(change)(self.conversation_id, self.user.pk)
        if changed:
            await self.channel_layer.group_send(
                conversation_group(self.conversation_id, "seller"),
                event_payload(REPLYING, conversation=self.conversation_id, user=self.user.pk),
            )


def _wanted_conversation(query_string: bytes) -> tuple[int, GroupSide] | None:
    """The conversation and side the page asks to hear, if any; a malformed request asks for
    one nobody has (refused by the access check, like someone else's)."""
    query = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    if "conversation" not in query:
        return None
    side = (query.get("side") or [""])[0]
    conversation_id = parse_id(query["conversation"][0]) or 0
    return conversation_id, "seller" if side == "seller" else "buyer"


@database_sync_to_async
def _may_listen(user: User, conversation_id: int, side: GroupSide) -> bool:
    if not conversation_id:
        return False
    access = access_conversation_as_seller if side == "seller" else access_conversation_as_buyer
    try:
        access(user, conversation_id)
    except Http404:
        return False
    return True


@database_sync_to_async
def _business_ids(user: User) -> list[int]:
    return list(business_ids_for_member(user))
