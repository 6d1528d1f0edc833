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


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:  # the base class reads the rate before we know the scope
        self._counting_locally = False

    @property
    def cache(self) -> Any:
        return counts.local if self._counting_locally else counts.store()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def _prepare(self) -> bool:
        self.rate = self.get_rate()
        if self.rate is None:
            return False
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return True

    def _counted(self, request: Request, view: Any) -> bool:
        """The base class's check, counted locally if the shared cache fails meanwhile."""
        try:
            return super().allow_request(request, view)
        except _UNANSWERED as error:
            counts.shared_failed(error)
            self._counting_locally = True
            return super().allow_request(request, view)


class TokenRateThrottle(_SettingsRateThrottle):
    """Everything one token (or one session user) does, across operations."""

    scope = "api.token"

    def allow_request(self, request: Request, view: Any) -> bool:
        if not self._prepare():
            return True
        return self._counted(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return f"throttle:{self.scope}:{_caller(request, self)}"


class OperationRateThrottle(_SettingsRateThrottle):
    """One kind of operation (the view's throttle_scope) for one token."""

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return True
        self.scope = scope
        if not self._prepare():
            return True
        return self._counted(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return f"throttle:{self.scope}:{_caller(request, self)}"
