"""Rate limits per token (all operations together) and per token and operation.

Rates come from settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], set from the
environment) and are read on every request, so an operator's change and a test's
override both apply at once. Counts live in the cache named API_THROTTLE_CACHE (Redis
when REDIS_URL is set), so every web process shares them.

When that cache does not answer (Redis is down), the API keeps answering: each process
counts in its own memory instead, logs a warning, and tries the shared cache again after
SHARED_RETRY_SECONDS. Limits then hold per process, not across processes, for a while.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from messagecenter.api.models import ApiToken

logger = logging.getLogger(__name__)

SHARED_RETRY_SECONDS = 10.0
# What a cache backend raises when its server does not answer (redis-py, sockets).
_UNANSWERED = (RedisError, OSError)


class _Counts:
    """Which store counts this process's requests: the shared cache, or its own memory
    for a while after the shared one failed."""

    def __init__(self) -> None:
        self.local = LocMemCache("mc-api-throttle-local", {})
        self._lock = threading.Lock()
        self._local_until = 0.0

    def store(self) -> Any:
        if time.monotonic() < self._local_until:
            return self.local
        return caches[settings.API_THROTTLE_CACHE]

    def shared_failed(self, error: Exception) -> None:
        with self._lock:
            first = time.monotonic() >= self._local_until
            self._local_until = time.monotonic() + SHARED_RETRY_SECONDS
        if first:
            logger.warning(
                "The API rate-limit cache %r does not answer (%s); rate limits are counted "
                "in this process only, trying the cache again in %d s.",
                settings.API_THROTTLE_CACHE,
                type(error).__name__,
                SHARED_RETRY_SECONDS,
            )

    def reset(self) -> None:
        """Back to the shared cache, local counts forgotten (for tests)."""
        with self._lock:
            self._local_until = 0.0
        self.local.clear()


counts = _Counts()


def _caller(request: Request, throttle: SimpleRateThrottle) -> str:
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{throttle.get_ident(request)}"


class _OneRead:
    """One request's counts, read from the store in one round trip and written back in
    one (per timeout) once every limit has decided: a get and a set per limit were four
    round trips to Redis on every API request. Stands in for the cache DRF's
    SimpleRateThrottle reads (get) and writes (set)."""

    def __init__(self, store: Any, keys: list[str]) -> None:
        self._read: dict[str, Any] = store.get_many(keys) if keys else {}
        self._written: dict[int, dict[str, Any]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self._read.get(key, default)

    def set(self, key: str, value: Any, timeout: int) -> None:
        self._written.setdefault(timeout, {})[key] = value

    def write_to(self, store: Any) -> None:
        for timeout, values in self._written.items():
            store.set_many(values, timeout)


class _SettingsRateThrottle(SimpleRateThrottle, ABC):
    def __init__(self) -> None:  # the base class reads the rate before we know the scope
        self.cache: Any = None  # the request's _OneRead, set by refused_waits

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    @abstractmethod
    def scope_for(self, view: Any) -> str | None:
        """Which limit applies to a request to this view (None: none does)."""

    def prepare(self, request: Request, view: Any) -> bool:
        """Choose the scope and read its rate; False when no limit applies."""
        scope = self.scope_for(view)
        if not scope:
            return False
        self.scope = scope
        self.rate = self.get_rate()
        if self.rate is None:
            return False
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        return True

    def get_cache_key(self, request: Request, view: Any) -> str:
        return f"throttle:{self.scope}:{_caller(request, self)}"

    def allow_request(self, request: Request, view: Any) -> bool:
        return not refused_waits([self], request, view)


class TokenRateThrottle(_SettingsRateThrottle):
    """Everything one token (or one session user) does, across operations."""

    def scope_for(self, view: Any) -> str | None:
        return "api.token"


class OperationRateThrottle(_SettingsRateThrottle):
    """One kind of operation (the view's throttle_scope) for one token."""

    def scope_for(self, view: Any) -> str | None:
        return getattr(view, "throttle_scope", None)


def refused_waits(
    throttles: list[_SettingsRateThrottle], request: Request, view: Any
) -> list[float | None]:
    """Each limit's decision as DRF's SimpleRateThrottle makes it, counted together: the
    waits of the limits that refuse the request (empty: it may go on). Counted in this
    process's memory when the shared cache does not answer (see the module's docstring)."""
    applying = [throttle for throttle in throttles if throttle.prepare(request, view)]
    try:
        return _counted(applying, request, view, counts.store())
    except _UNANSWERED as error:
        counts.shared_failed(error)
        return _counted(applying, request, view, counts.local)


def _counted(
    throttles: list[_SettingsRateThrottle], request: Request, view: Any, store: Any
) -> list[float | None]:
    if not throttles:
        return []
    read = _OneRead(store, [throttle.key for throttle in throttles])
    waits = []
    for throttle in throttles:
        throttle.cache = read
        if not SimpleRateThrottle.allow_request(throttle, request, view):
            waits.append(throttle.wait())
    read.write_to(store)
    return waits
