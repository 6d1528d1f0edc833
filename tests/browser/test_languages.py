"""A German and a French buyer and seller walk the message center in their language: the
buyer's inbox and a conversation; Manage Orders, an order and Contact Buyer with a message
the policy blocks (the draft kept, the page still theirs); the settings page, where a new
language and time zone take effect on the next page. axe checks each page as it is read.

The people log in in English (the login page is the browser's language) and then choose
theirs, as someone does the first time; their pages follow from the next request on.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from messagecenter.accounts.models import User
from messagecenter.threads.models import Conversation
from tests import factories
from tests.browser.test_accessibility import assert_accessible

SHOP_LINK = "https://my-shop.example.net/deals"

# The chrome each walk reads, in German and in French.
WORDS = {
    "de": {
        "messages": "Nachrichten",
        "inbox_sub": "Ihre Unterhaltungen mit Verkäufern, neueste zuerst.",
        "your_orders": "Ihre Bestellungen",
        "send_reply": "Antwort senden",
        "thread": "Nachrichten in dieser Unterhaltung",
        "formatting": "Formatierung",
        "bold": "Fett",
        "manage_orders": "Bestellungen verwalten",
        "order": "Bestellung",
        "contact_buyer": "Käufer kontaktieren",
        "new_message": "Neue Nachricht",
        "send": "Senden",
        "not_sent": "Ihre Nachricht wurde nicht gesendet.",
        "buyer_language": "Sprache des Käufers:",
        "link_rule": "Links zu anderen Websites",
        "settings": "Einstellungen",
        "save_settings": "Einstellungen speichern",
        "page_language": "Sprache der Seite",
        "change_language": "Sprache ändern",
    },
    "fr": {
        "messages": "Messages",
        "inbox_sub": "Vos conversations avec les vendeurs, les plus récentes d’abord.",
        "your_orders": "Vos commandes",
        "send_reply": "Envoyer la réponse",
        "thread": "Messages de cette conversation",
        "formatting": "Mise en forme",
        "bold": "Gras",
        "manage_orders": "Gérer les commandes",
        "order": "Commande",
        "contact_buyer": "Contacter l’acheteur",
        "new_message": "Nouveau message",
        "send": "Envoyer",
        "not_sent": "Votre message n’a pas été envoyé.",
        "buyer_language": "Langue de l’acheteur :",
        "link_rule": "Les liens vers d’autres sites web",
        "settings": "Paramètres",
        "save_settings": "Enregistrer les paramètres",
        "page_language": "Langue de la page",
        "change_language": "Changer de langue",
    },
}
LANGUAGES = ["de", "fr"]


def _now_reads(page: Page, user: User, language: str) -> None:
    """The person's language is now ``language`` (as if chosen earlier); the page reloads."""
    user.language = language
    user.save(update_fields=["language"])
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", language)


def _heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_buyers_inbox_and_a_conversation(log_in, jordan, sam, jordans_order, language):
    words = WORDS[language]
    factories.seller_message(jordans_order, sam, "Please confirm your delivery address.")
    conversation = Conversation.objects.get(order=jordans_order)
    buyer = log_in(jordan)
    buyer.goto("/messages/")
    _now_reads(buyer, jordan, language)

    _heading(buyer, words["messages"])
    expect(buyer.get_by_text(words["inbox_sub"])).to_be_visible()
    expect(buyer.get_by_role("link", name=words["your_orders"])).to_be_visible()
    assert_accessible(buyer)

    buyer.goto(f"/messages/{conversation.pk}/")
    expect(buyer.get_by_role("region", name=words["thread"])).to_be_visible()
    expect(buyer.get_by_role("toolbar", name=words["formatting"])).to_be_visible()
    expect(buyer.get_by_role("button", name=words["bold"])).to_be_visible()
    expect(buyer.get_by_role("button", name=words["send_reply"])).to_be_visible()
    assert_accessible(buyer)


@pytest.mark.parametrize("language", LANGUAGES)
def test_contact_buyer_with_a_blocked_message(log_in, sam, jordan, jordans_order, language):
    words = WORDS[language]
    jordan.language = "de"
    jordan.save(update_fields=["language"])
    seller = log_in(sam)
    _now_reads(seller, sam, language)

    seller.get_by_role("banner").get_by_role("link", name=words["manage_orders"]).click()
    _heading(seller, words["manage_orders"])
    seller.get_by_role("link", name=jordans_order.number).click()
    _heading(seller, f"{words['order']} {jordans_order.number}")
    expect(seller.get_by_text(words["buyer_language"])).to_contain_text("Deutsch")
    assert_accessible(seller)

    seller.get_by_role("link", name=words["contact_buyer"]).click()
    _heading(seller, words["contact_buyer"])
    expect(seller.get_by_role("heading", name=words["new_message"])).to_be_visible()
    seller.locator("select[name=message_type]").select_option("proactive_support")
    seller.locator("input[name=subject]").fill("Care manual for your duvet cover")
    editor = seller.locator("[data-editor-for=body]")
    editor.fill(f"Here is the care manual for your duvet cover. More tips: {SHOP_LINK}")
    seller.get_by_role("button", name=words["send"], exact=True).click()

    # Refused, and said so in the seller's language; the draft is all still there.
    expect(seller.get_by_role("alert").filter(has_text=words["not_sent"])).to_be_visible()
    _heading(seller, words["contact_buyer"])
    expect(editor).to_have_accessible_description(re.compile(r"my-shop\.example\.net/deals"))
    # The policy's explanation itself is in the seller's language, not the English source.
    expect(editor).to_have_accessible_description(re.compile(re.escape(words["link_rule"])))
    expect(editor).not_to_have_accessible_description(re.compile("Links to other websites"))
    expect(seller.locator("input[name=subject]")).to_have_value("Care manual for your duvet cover")
    expect(seller.locator("select[name=message_type]")).to_have_value("proactive_support")
    expect(editor).to_contain_text(SHOP_LINK)
    assert_accessible(seller)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_settings_page_switches_language_and_zone(log_in, jordan, language):
    words = WORDS[language]
    other = "fr" if language == "de" else "de"
    page = log_in(jordan)
    page.goto("/settings/")
    _now_reads(page, jordan, language)
    _heading(page, words["settings"])
    expect(page.get_by_role("button", name=words["save_settings"])).to_be_visible()
    # Two language controls, told apart by name: the page's (footer) and the account's.
    expect(page.get_by_role("combobox", name=words["page_language"])).to_be_visible()
    assert_accessible(page)

    form = page.locator("form.settings-form")
    form.locator("select[name=language]").select_option(other)
    form.locator("input[name=time_zone]").fill("America/New_York")
    page.get_by_role("button", name=words["save_settings"]).click()

    expect(page.locator("html")).to_have_attribute("lang", other)
    _heading(page, WORDS[other]["settings"])
    expect(page.get_by_role("button", name=WORDS[other]["save_settings"])).to_be_visible()
    expect(form.locator("input[name=time_zone]")).to_have_value("America/New_York")
    jordan.refresh_from_db()
    assert (jordan.language, jordan.time_zone) == (other, "America/New_York")

    # The footer's switcher changes back, on the same page.
    page.get_by_role("combobox", name=WORDS[other]["page_language"]).select_option(language)
    page.get_by_role("button", name=WORDS[other]["change_language"]).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    _heading(page, words["settings"])
    assert_accessible(page)
