"""The settings pages: create a token (shown once, kept hashed), revoke it; register a
webhook (secret shown once), read its delivery log, resend."""

from __future__ import annotations

import hashlib
import re

from django.urls import reverse

from messagecenter.api.models import ApiToken
from messagecenter.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.api.receiver import start_receiver


def _shown_key(page: str) -> str:
    match = re.search(r'id="new-token" readonly value="(mc_[^"]+)"', page)
    assert match, "the new key is on the page"
    return match.group(1)


def test_a_token_is_shown_once_kept_hashed_and_works_until_revoked(
    client, api_as, sam, jordans_order
):
    client.force_login(sam)

    created = client.post(reverse("api_tokens"), {"name": "Zendesk"})

    assert created.status_code == 200
    key = _shown_key(created.content.decode())
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get())
    listing = client.get(reverse("api_tokens")).content.decode()
    assert key not in listing
    assert token.prefix in listing and "Zendesk" in listing

    tool = api_as(None)
    tool.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert tool.get("/api/v1/conversations").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    revoked = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert tool.get("/api/v1/conversations").status_code == 401


def test_a_token_needs_a_name(client, jordan):
    client.force_login(jordan)

    response = client.post(reverse("api_tokens"), {"name": "  "})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_settings_page_links_to_tokens_and_webhooks(client, jordan):
    client.force_login(jordan)

    page = client.get(reverse("notification_settings")).content.decode()

    assert f'href="{reverse("api_tokens")}"' in page
    assert f'href="{reverse("webhooks")}"' in page


def test_registering_a_webhook_shows_its_secret_once(client, sam, northwind):
    client.force_login(sam)

    response = client.post(
        reverse("webhooks"),
        {
            "business": northwind.pk,
            "url": "https://93.184.215.14/hooks",
            "events": ["buyer_message.received", "message.held"],
        },
    )

    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["buyer_message.received", "message.held"]
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(reverse("webhooks")).content.decode()


def test_a_private_address_is_refused_on_the_page(client, sam, northwind):
    client.force_login(sam)

    response = client.post(
        reverse("webhooks"),
        {"business": northwind.pk, "url": "https://10.0.0.8/hooks", "events": ["message.held"]},
    )

    assert response.status_code == 400
    assert "public addresses" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_agent_cannot_register_webhooks(client, avery, northwind):
    client.force_login(avery)

    page = client.get(reverse("webhooks")).content.decode()
    response = client.post(
        reverse("webhooks"),
        {"business": northwind.pk, "url": "https://93.184.215.14/", "events": ["message.held"]},
    )

    assert "set up by the owners" in page
    assert response.status_code == 404


def test_the_log_shows_attempts_and_resend_sends_again(
    client, settings, sam, northwind, jordans_order, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_REQUIRE_HTTPS = False
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver = start_receiver([500])
    try:
        endpoint = WebhookEndpoint.objects.create(
            business=northwind,
            url=receiver.url,
            events=["buyer_message.received"],
            secret="whsec_log",
        )
        with django_capture_on_commit_callbacks(execute=True):
            factories.buyer_message(jordans_order)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "failed"
        client.force_login(sam)

        log = client.get(reverse("webhook_endpoint", args=[endpoint.pk])).content.decode()
        assert "HTTP 500" in log and "Gave up" in log

        with django_capture_on_commit_callbacks(execute=True):
            resent = client.post(reverse("webhook_resend", args=[delivery.pk]))
        assert resent.status_code == 302
        delivery.refresh_from_db()
        assert delivery.status == "succeeded"
        assert len(receiver.received) == 2
        log = client.get(reverse("webhook_endpoint", args=[endpoint.pk])).content.decode()
        assert "HTTP 200" in log
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
