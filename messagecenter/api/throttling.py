"""Rate limits per token (all operations together) and per token and operation.

Rates come from settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], set from the
environment) and are read on every request, so an operator's change and a test's
override both apply at once. Counts live in the cache named API_THROTTLE_CACHE (Redis
when REDIS_URL is set), so every web process shares them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from messagecenter.api.models import ApiToken


def _caller(request: Request, throttle: SimpleRateThrottle) -> str:
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{throttle.get_ident(request)}"


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:  # the base class reads the rate before we know the scope
        pass

    @property
    def cache(self) -> Any:
        return caches[settings.API_THROTTLE_CACHE]

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def _prepare(self) -> bool:
        self.rate = self.get_rate()
        if self.rate is None:
            return False
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return True


class TokenRateThrottle(_SettingsRateThrottle):
    """Everything one token (or one session user) does, across operations."""

    scope = "api.token"

    def allow_request(self, request: Request, view: Any) -> bool:
        if not self._prepare():
            return True
        return super().allow_request(request, view)

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
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return f"throttle:{self.scope}:{_caller(request, self)}"
