"""What the forms, flash notices and Manage Orders say, in the reader's language: Sam
(Northwind's owner) and Jordan (his buyer) read the message center in German or French."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messagecenter.accounts.models import User
from tests import factories

EMPTY_BODY = {
    "de": "Schreiben Sie eine Nachricht, bevor Sie sie senden.",
    "fr": "Rédigez un message avant de l’envoyer.",
}
ATTACHMENT_HELP = {
    "de": "Bis zu 5 Dateien, insgesamt 10 MB: .txt, .pdf",
    "fr": "Jusqu’à 5 fichiers, 10 Mo au total : .txt, .pdf",
}
SENT = {"de": "Nachricht gesendet.", "fr": "Message envoyé."}
NOT_A_ZONE = {
    "de": "„Mars/Olympus“ ist keine Zeitzone. Wählen Sie eine aus der Liste",
    "fr": "« Mars/Olympus » n’est pas un fuseau horaire. Choisissez-en un dans la liste",
}
SAVED = {"de": "Ihre Einstellungen wurden gespeichert.", "fr": "Vos paramètres sont enregistrés."}
SHIPPED = {"de": ">Versandt<", "fr": ">Expédiée<"}
ANY_STATUS = {"de": ">Jeder Status<", "fr": ">Tous les statuts<"}


def _speaks(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@pytest.mark.parametrize("language", ["de", "fr"])
def test_contact_buyer_says_an_empty_message_is_missing_in_the_sellers_language(
    client, sam, jordans_order, language
):
    _speaks(sam, language)
    client.force_login(sam)

    response = client.post(
        reverse("contact_buyer", args=[jordans_order.number]),
        {"message_type": "confirm_delivery_details", "subject": "Lieferung", "body": ""},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert EMPTY_BODY[language] in page
    assert ATTACHMENT_HELP[language] in page
    assert "Write a message before sending." not in page


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_buyers_reply_form_and_the_notice_after_sending_are_in_the_buyers_language(
    client, jordan, jordans_order, language
):
    conversation_id = factories.buyer_message(jordans_order, "Wo ist mein Paket?").conversation_id
    _speaks(jordan, language)
    client.force_login(jordan)
    url = reverse("buyer_conversation", args=[conversation_id])

    refused = client.post(url, {"body": ""})
    sent = client.post(url, {"body": "Danke, ich warte noch einen Tag."}, follow=True)

    assert refused.status_code == 400
    assert EMPTY_BODY[language] in refused.content.decode()
    assert sent.status_code == 200
    assert SENT[language] in sent.content.decode()
    assert "Message sent." not in sent.content.decode()


def test_the_notice_after_sending_stays_english_for_an_english_reader(client, sam, jordans_order):
    client.force_login(sam)

    response = client.post(
        reverse("contact_buyer", args=[jordans_order.number]),
        {
            "message_type": "confirm_delivery_details",
            "subject": f"Order {jordans_order.number}",
            "body": "Could you confirm the delivery address, please?",
        },
        follow=True,
    )

    assert "Message sent." in response.content.decode()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_settings_form_refuses_an_unknown_zone_and_confirms_in_the_users_language(
    client, jordan, language
):
    _speaks(jordan, language)
    client.force_login(jordan)
    url = reverse("notification_settings")
    choices = {"language": language, "email_new_message": "immediately"}
    choices["email_review_decision"] = "immediately"

    refused = client.post(url, {**choices, "time_zone": "Mars/Olympus"})
    saved = client.post(url, {**choices, "time_zone": "Europe/Berlin"}, follow=True)

    assert refused.status_code == 200
    assert NOT_A_ZONE[language] in refused.content.decode()
    assert SAVED[language] in saved.content.decode()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_manage_orders_names_the_statuses_in_the_sellers_language(
    client, sam, jordans_order, language
):
    _speaks(sam, language)
    client.force_login(sam)

    page = client.get(reverse("seller_orders")).content.decode()

    assert SHIPPED[language] in page
    assert ANY_STATUS[language] in page
    assert ">Any status<" not in page
