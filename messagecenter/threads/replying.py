"""Who on a seller's team is writing an answer in a conversation right now.

The page sends a frame while its composer holds text (live/consumers.py); each frame keeps the
writer listed for LIVE_REPLYING_SECONDS. The list lives in the shared live cache (Redis
when there is one), so a teammate who opens the conversation later, on any web process,
sees it too. Sending, leaving the composer or closing the page takes the writer off.
A cache that does not answer only means nobody is shown as writing.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)


def _key(conversation_id: int) -> str:
    return f"replying.{conversation_id}"


def _writers(conversation_id: int) -> dict[int, float]:
    """Writer id -> when their last frame stops counting, for those still counting."""
    kept = caches[settings.LIVE_CACHE].get(_key(conversation_id)) or {}
    now = time.time()
    return {int(user_id): until for user_id, until in kept.items() if until > now}


def _store(conversation_id: int, writers: dict[int, float]) -> None:
    cache = caches[settings.LIVE_CACHE]
    if writers:
        cache.set(_key(conversation_id), writers, timeout=settings.LIVE_REPLYING_SECONDS)
    else:
        cache.delete(_key(conversation_id))


def replying_started(conversation_id: int, user_id: int) -> bool:
    """Keep the user listed as writing; True when they were not listed a moment ago."""
    try:
        writers = _writers(conversation_id)
        new = user_id not in writers
        writers[user_id] = time.time() + settings.LIVE_REPLYING_SECONDS
        _store(conversation_id, writers)
    except Exception as error:
        logger.warning("Could not record who is replying in %s (%s).", conversation_id, error)
        return False
    return new


def replying_stopped(conversation_id: int, user_id: int) -> bool:
    """Take the user off the list; True when they were on it."""
    try:
        writers = _writers(conversation_id)
        if writers.pop(user_id, None) is None:
            return False
        _store(conversation_id, writers)
    except Exception as error:
        logger.warning("Could not record who is replying in %s (%s).", conversation_id, error)
        return False
    return True


def replying_user_ids(conversation_id: int) -> list[int]:
    """Who is writing in the conversation now, oldest frame first."""
    try:
        writers = _writers(conversation_id)
    except Exception as error:
        logger.warning("Could not read who is replying in %s (%s).", conversation_id, error)
        return []
    return sorted(writers, key=writers.__getitem__)
