"""The pages in the reader's language: a German and a French buyer and seller read their
inbox, a conversation, Manage Orders, an order, Contact Buyer and the settings page in
their own language; the seller sees which language the buyer reads, to write in it; the
switcher at the foot of every page changes the language of the next page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.accounts.models import User
from tests import factories

# What each page's chrome says, in German and in French.
BUYER_INBOX = {
    "de": [
        "<h1>Nachrichten</h1>",
        "Ihre Unterhaltungen mit Verkäufern, neueste zuerst.",
        "Ihre Bestellungen",
        "Abmelden",
        "Sprache der Seite",
        "Sprache ändern",
    ],
    "fr": [
        "<h1>Messages</h1>",
        "Vos conversations avec les vendeurs, les plus récentes d’abord.",
        "Vos commandes",
        "Se déconnecter",
        "Langue de la page",
        "Changer de langue",
    ],
}
BUYER_CONVERSATION = {
    "de": ["Antwort senden", "Nachrichten in dieser Unterhaltung", "Mit Northwind Home Goods"],
    "fr": ["Envoyer la réponse", "Messages de cette conversation", "Avec Northwind Home Goods"],
}
SELLER_PAGES = {
    "de": {
        "seller_orders": ["<h1>Bestellungen verwalten</h1>", "Bestellungen, neueste zuerst"],
        "seller_order": ["Käufer kontaktieren", "Bestelldetails", "Voraussichtliche Lieferung"],
        "contact_buyer": ["<h1>Käufer kontaktieren</h1>", "Neue Nachricht", ">Senden</button>"],
    },
    "fr": {
        "seller_orders": ["<h1>Gérer les commandes</h1>", "Commandes, les plus récentes d’abord"],
        "seller_order": ["Contacter l’acheteur", "Détails de la commande", "Livraison prévue"],
        "contact_buyer": ["<h1>Contacter l’acheteur</h1>", "Nouveau message", ">Envoyer</button>"],
    },
}
SETTINGS = {
    "de": ["<h1>Einstellungen</h1>", "Sprache und Zeitzone", "Einstellungen speichern"],
    "fr": ["<h1>Paramètres</h1>", "Langue et fuseau horaire", "Enregistrer les paramètres"],
}
LANGUAGES = ["de", "fr"]


def _reads(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_buyers_inbox_and_conversation_are_in_their_language(
    client, jordan, jordans_order, language
):
    message = factories.buyer_message(jordans_order, "Is the oven in stock?")
    _reads(jordan, language)
    client.force_login(jordan)

    inbox = _page(client, reverse("buyer_inbox"))
    conversation = _page(client, reverse("buyer_conversation", args=[message.conversation_id]))

    assert f'<html lang="{language}">' in inbox
    for text in BUYER_INBOX[language]:
        assert text in inbox
    for text in BUYER_CONVERSATION[language]:
        assert text in conversation
    assert "Send reply" not in conversation and "Your Orders" not in inbox


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sellers_order_pages_are_in_their_language(client, sam, jordans_order, language):
    _reads(sam, language)
    client.force_login(sam)

    for name, texts in SELLER_PAGES[language].items():
        args = [] if name == "seller_orders" else [jordans_order.number]
        page = _page(client, reverse(name, args=args))
        for text in texts:
            assert text in page, (name, text)
        assert "Manage Orders" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_settings_page_is_in_their_language(client, jordan, language):
    _reads(jordan, language)
    client.force_login(jordan)

    page = _page(client, reverse("notification_settings"))

    for text in SETTINGS[language]:
        assert text in page
    assert "Save settings" not in page


def test_dates_are_written_the_way_the_language_writes_them(client, jordan, jordans_order):
    _reads(jordan, "fr")
    client.force_login(jordan)
    ordered = jordans_order.ordered_at

    page = _page(client, reverse("buyer_orders"))

    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    assert f'commandé le <span class="nowrap">{ordered.day} {months[ordered.month - 1]}' in page


def test_the_seller_sees_the_buyers_language_in_their_own(client, sam, jordan, jordans_order):
    message = factories.buyer_message(jordans_order, "Ist der Topf vorrätig?")
    _reads(jordan, "de")
    client.force_login(sam)

    conversation = _page(client, reverse("seller_conversation", args=[message.conversation_id]))
    order = _page(client, reverse("seller_order", args=[jordans_order.number]))
    compose = _page(client, reverse("contact_buyer", args=[jordans_order.number]))
    _reads(sam, "fr")
    in_french = _page(client, reverse("seller_conversation", args=[message.conversation_id]))

    expected = 'Buyer\'s language: <strong>German (<span lang="de">Deutsch</span>)</strong>'
    for page in (conversation, order, compose):
        assert expected in page
    assert 'Langue de l’acheteur : <strong>Allemand (<span lang="de">Deutsch</span>)' in in_french


def test_the_buyer_does_not_see_a_language_note(client, jordan, jordans_order):
    message = factories.buyer_message(jordans_order)
    client.force_login(jordan)

    page = _page(client, reverse("buyer_conversation", args=[message.conversation_id]))

    assert "Buyer's language" not in page


def test_the_buyers_language_costs_the_sellers_page_no_query(client, sam, jordan, jordans_order):
    message = factories.buyer_message(jordans_order)
    client.force_login(sam)
    url = reverse("seller_conversation", args=[message.conversation_id])

    with CaptureQueriesContext(connection) as queries:
        page = _page(client, url)

    assert 'Buyer\'s language: <strong lang="en">English</strong>' in page
    # Read from the buyer loaded with the conversation: the buyer's row is never read alone.
    alone = f'WHERE "accounts_user"."id" = {jordan.pk}'
    assert not [q["sql"] for q in queries if alone in q["sql"]]


def test_the_switcher_changes_the_next_page(client, jordan):
    client.force_login(jordan)

    response = client.post(
        reverse("switch_language"), {"language": "fr", "next": reverse("buyer_inbox")}
    )
    page = _page(client, response.headers["Location"])

    assert '<html lang="fr">' in page
    assert '<label for="language-switcher-language">Langue de la page</label>' in page
    assert '<option value="fr" lang="fr" selected>Français</option>' in page
    # Every language named in itself, not in the page's language ("Anglais").
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="de" lang="de">Deutsch</option>' in page


def test_the_editor_reads_its_labels_from_the_catalogue_of_the_page(client, jordan, northwind):
    _reads(jordan, "de")
    client.force_login(jordan)

    page = _page(client, reverse("ask_product", args=[factories.product(northwind).pk]))
    catalogue = client.get(reverse("javascript_catalog"), {"language": "de"})

    assert '<script src="/jsi18n/?language=de"></script>' in page
    assert catalogue.status_code == 200
    assert '"Bold": "Fett"' in catalogue.content.decode()
