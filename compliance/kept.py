"""Values read from the database that each process keeps for ``POLICY_CACHE_SECONDS``.

The policy and the seller restrictions change when somebody saves them, rarely next to how
often sends and pages read them. Each process keeps what it read, by key; a save forgets
everything in the saving process at once and again when its transaction commits (a read
made meanwhile still saw the old rows), and other processes read again within that many
seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import transaction

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class KeptForAWhile(Generic[K, V]):
    """Per key: when this process read the value, and the value."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        """The kept value, or None when it was never read or is older than allowed."""
        kept = self._kept.get(key)
        if kept is None or time.monotonic() - kept[0] >= settings.POLICY_CACHE_SECONDS:
            return None
        return kept[1]

    def keep(self, read: dict[K, V]) -> None:
        now = time.monotonic()
        with self._lock:
            self._kept.update({key: (now, value) for key, value in read.items()})

    def forget(self) -> None:
        with self._lock:
            self._kept = {}

    def forget_now_and_on_commit(self) -> None:
        """What was kept changed in the current transaction (or just now, outside one)."""
        self.forget()
        transaction.on_commit(self.forget)
