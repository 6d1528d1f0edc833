"""Handing events to the channel layer: after commit, and never at the cost of the write.

Web processes, the Celery workers and the mail receiver all deliver messages; each
publishes to the same layer (Redis), which every web process's sockets listen to. The
request or task that committed never waits for Redis: the event goes to this process's
publishing thread, whose own event loop sends it (one connection pool, events in order).
A publish that fails (Redis down, or silent for PUBLISH_TIMEOUT_SECONDS) is logged and
dropped, and the process publishes nothing for PAUSE_AFTER_FAILURE_SECONDS: the pages
catch up on their next event, on a reconnect or on a reload.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, wait
from functools import partial

from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)
PUBLISH_TIMEOUT_SECONDS = 1.0
PAUSE_AFTER_FAILURE_SECONDS = 10.0
_paused_until = 0.0

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_loop_pid = 0
_pending: set[Future[None]] = set()


def publish_on_commit(groups: Sequence[str], payload: dict[str, object]) -> None:
    """Send the payload to the groups once the current transaction commits (at once
    outside one); nothing for a rolled-back write."""
    transaction.on_commit(partial(publish_now, tuple(groups), payload))


def publish_now(groups: Sequence[str], payload: dict[str, object]) -> None:
    """Hand the event to the publishing thread; returns at once."""
    if time.monotonic() < _paused_until:
        return
    future = asyncio.run_coroutine_threadsafe(_send(tuple(groups), payload), _publishing_loop())
    with _lock:
        _pending.add(future)
    future.add_done_callback(_forget)


def wait_until_published(timeout: float = 10) -> None:
    """Until every event handed over so far was sent or dropped (tests, and a command that
    is about to exit)."""
    with _lock:
        pending = list(_pending)
    wait(pending, timeout=timeout)


def _forget(future: Future[None]) -> None:
    with _lock:
        _pending.discard(future)


def _publishing_loop() -> asyncio.AbstractEventLoop:
    """This process's publishing loop, started on first use (after a worker's fork)."""
    global _loop, _loop_pid
    with _lock:
        if _loop is None or _loop_pid != os.getpid():
            _loop = asyncio.new_event_loop()
            _loop_pid = os.getpid()
            threading.Thread(target=_loop.run_forever, name="live-publish", daemon=True).start()
            # A one-shot process (receive_email piped from the MTA) sends what it published
            # before it exits.
            atexit.register(wait_until_published, 2)
        return _loop


async def _send(groups: tuple[str, ...], payload: dict[str, object]) -> None:
    global _paused_until
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for group in groups:
            await layer.group_send(group, payload)

    try:
        # A Redis that stops answering without closing the connection would otherwise
        # hold every later event for the layer's whole read timeout per command.
        await asyncio.wait_for(send_all(), timeout=PUBLISH_TIMEOUT_SECONDS)
    except Exception as error:  # a live update is never worth a failed request or task
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
        logger.warning(
            "Could not publish the live event %s to %s (%s: %s); live events pause for %s s.",
            payload,
            groups,
            type(error).__name__,
            error,
            PAUSE_AFTER_FAILURE_SECONDS,
        )
