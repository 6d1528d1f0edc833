"""API fixtures: tokens for the story's people, clients that use them, a guard that keeps
every webhook test on this machine, and a webhook receiver there with Northwind's endpoint
for it."""

from __future__ import annotations

import ipaddress
import socket
import uuid
from collections.abc import Callable, Iterator

import pytest
from rest_framework.test import APIClient

from messagecenter.api.tokens import api_token_create, api_token_revoke
from messagecenter.webhooks import transport
from messagecenter.webhooks.models import WebhookEndpoint, WebhookEvent
from messagecenter.webhooks.services import webhook_endpoint_register
from tests.api.receiver import Receiver, start_receiver


@pytest.fixture(autouse=True)
def _api_settings(settings) -> None:
    """A throttle cache of its own per test, so counts never leak between tests."""
    settings.CACHES = {
        **settings.CACHES,
        "api-throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-test-{uuid.uuid4()}",
        },
    }


@pytest.fixture(autouse=True)
def _webhooks_stay_on_loopback(monkeypatch) -> None:
    """No test may send a webhook anywhere but this machine, whatever the code decides."""
    real = socket.create_connection

    def loopback_only(address, *args, **kwargs):
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise OSError(f"test guard: refusing to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(transport.socket, "create_connection", loopback_only)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = start_receiver()
    yield started
    started.stop()


@pytest.fixture
def loopback_allowed(settings) -> None:
    """The operator allows private targets (and plain HTTP) for this test's receiver."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_REQUIRE_HTTPS = False
    settings.WEBHOOK_RETRY_BASE_SECONDS = 1


@pytest.fixture
def endpoint(loopback_allowed, receiver, northwind, sam) -> WebhookEndpoint:
    """Northwind's endpoint at the receiver, for every event."""
    return webhook_endpoint_register(
        business=northwind, url=receiver.url, events=WebhookEvent.values, created_by=sam
    )


@pytest.fixture
def key_for(db) -> Callable[..., str]:
    """A new API token key for the user (``revoked=True`` for a revoked one)."""

    def make(user, *, name: str = "Helpdesk", revoked: bool = False) -> str:
        created = api_token_create(user=user, name=name)
        if revoked:
            api_token_revoke(token=created.token)
        return created.key

    return make


@pytest.fixture
def api_as(key_for) -> Callable[..., APIClient]:
    """An API client authenticated with a fresh token of the user (None: anonymous)."""

    def make(user=None, *, revoked: bool = False) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key_for(user, revoked=revoked)}")
        return client

    return make
