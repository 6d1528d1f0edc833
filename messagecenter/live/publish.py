"""Handing events to the channel layer: after commit, and never at the cost of the write.

Web processes, the Celery workers and the mail receiver all deliver messages; each
publishes to the same layer (Redis), which every web process's sockets listen to. A
publish that fails (Redis down) is logged and dropped: the pages catch up on their next
event, on a reconnect or on a reload, and the send it follows has already committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)
_SIDE_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-publish")


def publish_on_commit(groups: Sequence[str], payload: dict[str, object]) -> None:
    """Send the payload to the groups once the current transaction commits (at once
    outside one); nothing for a rolled-back write."""
    transaction.on_commit(partial(publish_now, tuple(groups), payload))


def publish_now(groups: Sequence[str], payload: dict[str, object]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if _event_loop_running():
            # Sync code called from a thread that runs an event loop (the mail receiver's
            # loop, a test driving a browser) cannot wait on it: send from a thread of its
            # own, and wait for that.
            _SIDE_THREAD.submit(async_to_sync(_send_to_each), layer, groups, payload).result()
        else:
            async_to_sync(_send_to_each)(layer, groups, payload)
    except Exception as error:  # a live update is never worth a failed request or task
        logger.warning("Could not publish the live event %s to %s (%s).", payload, groups, error)


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _send_to_each(layer: object, groups: Sequence[str], payload: dict[str, object]) -> None:
    for group in groups:
        await layer.group_send(group, payload)  # type: ignore[attr-defined]
