"""The API's error messages are in the caller's language: the token owner's own, else the
Accept-Language of the request (the locale middleware runs before DRF reads the token).
The codes tools switch on stay the same in every language."""

from __future__ import annotations

import pytest

from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message
from tests import factories

WARRANTY_WITHOUT_DATES = {
    "en": "A warranty message gives the coverage dates.",
    "de": "Eine Garantienachricht gibt die Daten des Garantiezeitraums an.",
    "fr": "Un message de garantie indique les dates de couverture.",
}
INVALID = {
    "en": "The request is not valid: ",
    "de": "Die Anfrage ist ungültig: ",
    "fr": "La requête n’est pas valide : ",
}


def _speaks(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def _warranty_without_dates(client, order):
    upload = client.post(
        "/api/v1/uploads", {"file": factories.pdf_upload("warranty.pdf")}, format="multipart"
    )
    assert upload.status_code == 201, upload.json()
    return client.post(
        f"/api/v1/orders/{order.number}/messages/warranty",
        {"text": "Warranty attached.", "attachments": [upload.json()["id"]]},
        format="json",
    )


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_the_same_invalid_request_is_explained_in_the_token_owners_language(
    api_as, sam, jordans_order, language
):
    _speaks(sam, language)

    response = _warranty_without_dates(api_as(sam), jordans_order)

    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["message"].startswith(INVALID[language])
    fields = error["details"]["fields"]
    assert fields["coverage_start_date"] == [WARRANTY_WITHOUT_DATES[language]]
    assert response.headers["Content-Language"] == language


def test_the_token_owners_language_wins_over_the_requests(api_as, sam):
    _speaks(sam, "de")

    response = api_as(sam).get("/api/v1/conversations/12345", headers={"Accept-Language": "fr"})

    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Diese Unterhaltung gibt es nicht.",
        "details": {},
    }
    assert response.headers["Content-Language"] == "de"
    assert "Authorization" in response.headers["Vary"]


def test_an_owner_without_a_language_is_answered_in_the_requests(api_as, sam):
    assert sam.language == ""

    response = api_as(sam).get("/api/v1/conversations/12345", headers={"Accept-Language": "fr"})

    assert response.json()["message"] == "Cette conversation n’existe pas."
    assert response.headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This API token is not valid. Create one on the API settings page."),
        (
            "de",
            "Dieser API-Token ist ungültig. "
            "Erstellen Sie einen auf der Seite mit den API-Einstellungen.",
        ),
        ("fr", "Ce jeton d’API n’est pas valide. Créez-en un sur la page des paramètres de l’API."),
    ],
)
def test_an_unknown_token_is_refused_in_the_language_of_accept_language(api_as, language, message):
    client = api_as(None)
    client.credentials(HTTP_AUTHORIZATION="Bearer mc_unknown")

    response = client.get("/api/v1/conversations", headers={"Accept-Language": language})

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["message"] == message
    assert response.headers["Content-Language"] == language


def test_a_too_large_upload_is_refused_in_the_owners_language(api_as, sam, settings):
    settings.ATTACHMENT_MAX_TOTAL_BYTES = 1000
    _speaks(sam, "de")

    response = api_as(sam).post(
        "/api/v1/uploads", {"file": factories.pdf_upload(size=2000)}, format="multipart"
    )

    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "file_too_large"
    assert error["message"].startswith("Die Datei ist ")
    assert error["message"].endswith(
        "eine Nachricht darf höchstens 1000 Byte an Dateien enthalten."
    )


def test_a_warranty_states_its_coverage_in_the_buyers_language(api_as, sam, jordan, jordans_order):
    _speaks(jordan, "de")
    _speaks(sam, "fr")
    client = api_as(sam)
    upload = client.post(
        "/api/v1/uploads", {"file": factories.pdf_upload("garantie.pdf")}, format="multipart"
    )

    response = client.post(
        f"/api/v1/orders/{jordans_order.number}/messages/warranty",
        {
            "text": "Die Garantieunterlagen für Ihren Bettbezug finden Sie im Anhang.",
            "attachments": [upload.json()["id"]],
            "coverage_start_date": "2026-01-01",
            "coverage_end_date": "2028-12-31",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = Message.objects.get(pk=response.json()["message"]["id"]).body_text
    assert body.endswith("Garantiezeitraum: 1. Januar 2026 bis 31. Dezember 2028.")
