"""Rate limits: per token over everything, and per token and kind of operation."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from messagecenter.api import throttling
from messagecenter.api.models import ApiToken


@pytest.fixture
def rates(settings):
    def set_rates(**rates: str) -> None:
        current = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
        current.update({f"api.{name}": rate for name, rate in rates.items()})
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": current}

    return set_rates


def _send(client, order):
    return client.post(
        f"/api/v1/orders/{order.number}/messages/confirm_order_details",
        {"text": "Please confirm the delivery address: is it apartment 4B?"},
        format="json",
    )


def test_each_operation_has_its_own_limit_per_token(rates, api_as, key_for, sam, jordans_order):
    rates(read="2/min", send="1/min", token="100/min")
    client = api_as(sam)
    url = "/api/v1/conversations"

    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    sent = _send(client, jordans_order)
    second_send = _send(client, jordans_order)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    assert refused.json()["details"]["retry_after"] == int(refused["Retry-After"])
    assert sent.status_code == 201  # reads used up do not stop a send
    assert second_send.status_code == 429
    assert api_as(sam).get(url).status_code == 200  # another token, its own count


def test_a_token_has_a_limit_over_all_operations(rates, api_as, sam, jordans_order):
    rates(token="3/min", read="100/min", send="100/min")
    client = api_as(sam)

    codes = [
        client.get("/api/v1/conversations").status_code,
        client.get(f"/api/v1/orders/{jordans_order.number}/attributes").status_code,
        _send(client, jordans_order).status_code,
        client.get("/api/v1/conversations").status_code,
    ]

    assert codes == [200, 200, 201, 429]


def test_counts_are_shared_through_redis_when_there_is_one(
    rates, settings, redis_key_prefix, api_as, sam
):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    settings.CACHES = {
        **settings.CACHES,
        "api-throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            # Token ids restart in every worker's database: the counts must not meet.
            "KEY_PREFIX": redis_key_prefix,
        },
    }
    rates(read="1/min")
    client = api_as(sam)

    assert client.get("/api/v1/conversations").status_code == 200
    caches.close_all()  # another process would have its own connection, same counts
    assert client.get("/api/v1/conversations").status_code == 429


class CallCountingCache(LocMemCache):
    """Counts the calls made to it from outside (each one a round trip to Redis)."""

    calls: list[str] = []

    def _outside(self, name: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        inside = getattr(self, "_inside", False)
        if not inside:
            self.calls.append(name)
        self._inside = True
        try:
            return method(*args, **kwargs)
        finally:
            self._inside = inside

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._outside("get", super().get, *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._outside("set", super().set, *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._outside("get_many", super().get_many, *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._outside("set_many", super().set_many, *args, **kwargs)


def test_both_limits_are_read_in_one_call_and_written_in_one(rates, settings, api_as, sam):
    settings.CACHES = {
        **settings.CACHES,
        "api-throttle": {
            "BACKEND": f"{__name__}.CallCountingCache",
            "LOCATION": f"calls-{id(settings)}",
        },
    }
    rates(read="2/min", token="100/min")
    client = api_as(sam)
    CallCountingCache.calls = []

    codes = [client.get("/api/v1/conversations").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    # Allowed: both counts read together, both written together. Refused by the read
    # limit: the token limit still counts the request, as DRF's throttles do.
    assert CallCountingCache.calls == ["get_many", "set_many"] * 3
    token = ApiToken.objects.get(user=sam)
    counted = caches["api-throttle"].get_many(
        [f"throttle:api.token:token:{token.pk}", f"throttle:api.read:token:{token.pk}"]
    )
    assert [len(requests) for requests in counted.values()] == [3, 2]


# --- Redis down: the API keeps answering, each process counts alone ------------------------


@pytest.fixture
def shared_counts_unreachable(settings):
    """The throttle cache is a Redis that refuses connections (nothing listens on port 1)."""
    settings.CACHES = {
        **settings.CACHES,
        "api-throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    throttling.counts.reset()
    yield
    throttling.counts.reset()


def test_while_redis_is_down_limits_are_counted_in_the_process_and_logged_once(
    rates, shared_counts_unreachable, api_as, sam, caplog
):
    rates(read="2/min", token="100/min")
    client = api_as(sam)

    with caplog.at_level(logging.WARNING, logger="messagecenter.api.throttling"):
        answers = [client.get("/api/v1/conversations") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["code"] == "throttled"
    warnings = [r.getMessage() for r in caplog.records if r.name == "messagecenter.api.throttling"]
    assert len(warnings) == 1
    assert "rate limits are counted in this process only" in warnings[0]
    assert "ConnectionError" in warnings[0]


def test_the_shared_counts_are_used_again_once_redis_answers(
    rates, settings, shared_counts_unreachable, api_as, sam, monkeypatch
):
    monkeypatch.setattr(throttling, "SHARED_RETRY_SECONDS", 0)
    rates(read="100/min", token="100/min")
    client = api_as(sam)
    assert client.get("/api/v1/conversations").status_code == 200  # counted locally

    settings.CACHES = {
        **settings.CACHES,
        "api-throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    assert client.get("/api/v1/conversations").status_code == 200

    shared = caches["api-throttle"]
    assert [key for key in shared._cache if "throttle:api.read" in key]
