"""The API token and webhook settings pages explain themselves in the reader's language:
Jordan revokes a token in French, Sam is refused a private webhook address in German."""

from __future__ import annotations

from django.urls import reverse

from messagecenter.api.tokens import api_token_create
from messagecenter.webhooks.models import WebhookEndpoint


def test_revoking_a_token_is_confirmed_in_french(client, jordan):
    jordan.language = "fr"
    jordan.save(update_fields=["language"])
    token = api_token_create(user=jordan, name="Helpdesk").token
    client.force_login(jordan)

    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)

    page = response.content.decode()
    assert "Le jeton « Helpdesk » est révoqué ; il ne fonctionne plus." in page
    assert "is revoked" not in page


def test_a_private_webhook_address_is_refused_in_german(client, sam, northwind):
    sam.language = "de"
    sam.save(update_fields=["language"])
    client.force_login(sam)

    response = client.post(
        reverse("webhooks"),
        {"business": northwind.pk, "url": "https://10.0.0.8/hooks", "events": ["message.held"]},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "„10.0.0.8“ verweist auf 10.0.0.8, eine private, Loopback- oder reservierte Adresse. "
        "Webhooks gehen nur an öffentliche Adressen."
    ) in page
    assert not WebhookEndpoint.objects.exists()
