"""Internal notes in a real browser, as the people using them see them.

Jordan asks Northwind about a cracked lid. Sam (the owner) leaves a note for the team
mentioning Avery (an agent); Avery gets an email, follows its link and finds the note;
Jordan's page never shows it.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from messagecenter.threads.models import Conversation
from tests import factories
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "@Avery please call Jordan about the replacement lid."


@pytest.fixture
def conversation(jordans_order) -> Conversation:
    factories.buyer_message(jordans_order, "The lid of my Dutch oven arrived cracked.")
    mail.outbox = []
    return Conversation.objects.get(order=jordans_order)


def test_a_note_mentioning_a_teammate_reaches_them_and_never_the_buyer(
    log_in, live_server, conversation, sam, avery, jordan
):
    seller = log_in(sam)
    seller.goto(f"/seller/messages/{conversation.pk}/")
    notes = seller.get_by_role("region", name="Internal notes")
    expect(notes.get_by_text("No notes yet.")).to_be_visible()

    # An empty note is refused with the reason, next to the box.
    notes.get_by_role("button", name="Add note").click()
    expect(seller.get_by_role("alert")).to_contain_text("Write the note before adding it.")
    assert_accessible(seller)

    seller.get_by_label("Add internal note").fill(NOTE)
    seller.get_by_role("region", name="Internal notes").get_by_role(
        "button", name="Add note"
    ).click()
    expect(
        seller.get_by_text("Mentioned, and told by email as they chose: Avery Lee.")
    ).to_be_visible()
    note = seller.get_by_role("region", name="Internal notes").get_by_role("listitem")
    expect(note).to_contain_text("Internal note — only your team sees this")
    expect(note).to_contain_text(NOTE)
    expect(seller.get_by_label("Add internal note")).to_have_value("")

    # Avery, and only Avery, is emailed; the link opens the note.
    [email] = mail.outbox
    assert email.to == [avery.email]
    link = re.search(r"http://testserver(\S+)", email.body)
    assert link is not None
    teammate = log_in(avery)
    teammate.goto(link.group(1))
    mention = teammate.locator(".note-mention")
    expect(mention).to_have_text("@Avery")
    expect(teammate.get_by_role("region", name="Internal notes")).to_contain_text(
        "please call Jordan about the replacement lid."
    )
    assert_accessible(teammate)

    buyer = log_in(jordan)
    buyer.goto(f"/messages/{conversation.pk}/")
    expect(buyer.get_by_text("The lid of my Dutch oven arrived cracked.")).to_be_visible()
    expect(buyer.get_by_text("replacement lid")).to_have_count(0)
    expect(buyer.get_by_text("Internal note")).to_have_count(0)
    assert len(mail.outbox) == 1


def test_typing_at_suggests_teammates_and_enter_inserts_the_name(log_in, conversation, sam, avery):
    seller = log_in(sam)
    seller.goto(f"/seller/messages/{conversation.pk}/")
    box = seller.get_by_label("Add internal note")
    box.press_sequentially("Ask @av")
    suggestions = seller.get_by_role("listbox", name="Teammates to mention")
    expect(suggestions.get_by_role("option")).to_have_text(["@Avery Lee"])
    assert_accessible(seller)
    box.press("Enter")
    expect(box).to_have_value("Ask @Avery Lee ")
    expect(suggestions).to_be_hidden()

    # Escape closes the list and leaves the text as typed.
    # A later word of the name finds it too; Escape closes the list, the text stays.
    box.press_sequentially("and @le")
    expect(suggestions.get_by_role("option")).to_have_text(["@Avery Lee"])
    box.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value("Ask @Avery Lee and @le")
    # Nobody else on the team starts so: no list (Sam, the writer, is never suggested).
    box.press_sequentially(" @sa")
    expect(suggestions).to_be_hidden()
