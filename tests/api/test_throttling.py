"""Rate limits: per token over everything, and per token and kind of operation."""

from __future__ import annotations

import pytest
from django.core.cache import caches


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
