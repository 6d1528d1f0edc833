"""A notice about an inbound email goes to an address, which need not be anyone's account
(an approved sending address is a shared mailbox). Its language: the account's with that
address, else the one the email declared (Content-Language, then Accept-Language), else the
marketplace's. The same holds for a sending address's confirmation, whose fallback is the
language of the owner who added it.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.relay.inbound import receive_email
from messagecenter.relay.models import ApprovedSender
from messagecenter.relay.notice_language import declared_language, notice_language
from messagecenter.relay.sender_confirmation import build_confirmation_email
from tests import factories
from tests.relay.emails import buyer_address, email_from, raw, seller_address
from tests.relay.malformed import single

SHARED = "support@northwind.example"
PROMO = "Also: 20% off your next order!"


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def run(message: bytes, recipient: str, *, envelope_from: str):
        with django_capture_on_commit_callbacks(execute=True):
            return receive_email(message, envelope_from=envelope_from, recipients=[recipient])

    return run


@pytest.fixture
def opened_by_northwind(sam, jordans_order):
    """Northwind wrote first and Jordan has not answered: a seller email is not an answer."""
    message = factories.seller_message(jordans_order, sam)
    mail.outbox.clear()
    return message


@pytest.fixture
def shared_mailbox(northwind, sam):
    return ApprovedSender.objects.create(
        business=northwind, email=SHARED, added_by=sam, confirmed_at=timezone.now()
    )


def _speaks(user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)
    user.refresh_from_db()


def _headers(**values: str) -> bytes:
    lines = [f"{name.replace('_', '-')}: {value}" for name, value in values.items()]
    return raw("From: a@example.net", "Subject: x", *lines, "", "text")


# --- what an email declares --------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Content_Language": "fr-CA"}, "fr"),
        ({"Content_Language": "pt-BR", "Accept_Language": "pt, es;q=0.8, it;q=0.9"}, "it"),
        ({"Accept_Language": "de-AT,de;q=0.9,en;q=0.5"}, "de"),
        ({"Content_Language": "en, de"}, "en"),
        ({"Accept_Language": "es;q=0, nl"}, ""),  # q=0 means "not this one"
        ({"Content_Language": "pt-BR"}, ""),
        ({}, ""),
    ],
)
def test_the_language_an_email_declares(headers, expected):
    parsed = message_from_bytes(_headers(**headers), policy=policy.default)

    assert declared_language(parsed) == expected


# --- the choice --------------------------------------------------------------------------


def test_an_accounts_own_language_comes_first(sam):
    _speaks(sam, "it")

    assert notice_language("Sam@Northwind.example", declared="fr") == "it"


def test_an_account_without_a_language_takes_the_declared_one(sam):
    assert notice_language(sam.email, declared="es") == "es"


def test_an_unknown_address_takes_the_declared_language(db):
    assert notice_language(SHARED, declared="fr") == "fr"


def test_with_nothing_to_go_by_it_is_the_marketplaces_default(db, settings):
    assert notice_language(SHARED) == "en"
    settings.LANGUAGE_CODE = "de"
    assert notice_language(SHARED, declared="xx") == "de"


# --- the notices as sent -----------------------------------------------------------------


def test_a_team_member_is_told_in_their_own_language(
    deliver, sam, jordan, northwind, opened_by_northwind
):
    _speaks(sam, "de")
    to_jordan = buyer_address(jordan, northwind)

    deliver(
        email_from(sam.email, to_jordan, text=PROMO, headers={"Accept-Language": "fr"}),
        to_jordan,
        envelope_from=sam.email,
    )

    [notice] = mail.outbox
    assert notice.to == [sam.email]
    assert notice.subject == "Nicht zugestellt: Re: Your order"
    assert "Ihre E-Mail „Re: Your order“ wurde nicht zugestellt." in notice.body
    assert "Per E-Mail können Sie dem Käufer nur antworten." in notice.body
    assert "Dieser Hinweis wurde automatisch gesendet" in notice.body


def test_a_shared_mailbox_is_told_in_the_language_its_email_declared(
    deliver, shared_mailbox, jordan, northwind, opened_by_northwind
):
    to_jordan = buyer_address(jordan, northwind)

    # Outlook's header; Content-Language is read first (see above).
    deliver(
        email_from(SHARED, to_jordan, text=PROMO, headers={"Accept-Language": "fr-FR, en-US"}),
        to_jordan,
        envelope_from=SHARED,
    )

    [notice] = mail.outbox
    assert notice.to == [SHARED]
    assert notice.subject == "Non distribué : Re: Your order"
    assert "L’e-mail sert uniquement à répondre à l’acheteur." in notice.body
    assert "Cet avis a été envoyé automatiquement" in notice.body


def test_a_shared_mailbox_that_declares_nothing_is_told_in_the_marketplaces_language(
    deliver, shared_mailbox, jordan, northwind, opened_by_northwind
):
    to_jordan = buyer_address(jordan, northwind)

    deliver(email_from(SHARED, to_jordan, text=PROMO), to_jordan, envelope_from=SHARED)

    [notice] = mail.outbox
    assert notice.subject == "Not delivered: Re: Your order"
    assert "Email can only be used to answer the buyer." in notice.body


def test_a_buyer_whose_email_is_held_is_told_in_their_language(
    deliver, jordan, northwind, jordans_order
):
    factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")
    mail.outbox.clear()
    _speaks(jordan, "es")
    to_northwind = seller_address(jordan, northwind)

    deliver(
        email_from(jordan.email, to_northwind, text="This is fucking ridiculous, where is it?"),
        to_northwind,
        envelope_from=jordan.email,
    )

    [notice] = mail.outbox
    assert notice.to == [jordan.email]
    assert notice.subject == "Retenido para revisión: Your order"
    assert "está retenido para que lo revise el equipo de Marketplace" in notice.body


# --- a sending address's confirmation ----------------------------------------------------


def test_a_confirmation_is_in_the_language_of_the_owner_who_added_the_address(northwind, sam):
    _speaks(sam, "de")
    entry = ApprovedSender.objects.create(business=northwind, email=SHARED, added_by=sam)

    confirmation = build_confirmation_email(entry)

    assert confirmation.subject == (
        f"Bestätigen Sie {SHARED} als Absenderadresse für Northwind Home Goods"
    )
    assert "Wenn dies das Postfach Ihres Teams ist, bestätigen Sie es hier" in confirmation.body


def test_a_confirmation_with_nobody_to_go_by_is_in_the_marketplaces_language(northwind):
    entry = ApprovedSender.objects.create(business=northwind, email=SHARED, added_by=None)

    confirmation = build_confirmation_email(entry)

    assert confirmation.subject == (
        f"Confirm {SHARED} as a sending address for Northwind Home Goods"
    )


def test_what_could_not_be_read_is_told_in_the_senders_language(
    deliver, sam, jordan, northwind, jordans_order
):
    factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")
    mail.outbox.clear()
    _speaks(sam, "it")
    to_jordan = buyer_address(jordan, northwind)

    [result] = deliver(
        single(to_jordan, "Thanks, this is plain text!", encoding="base64"),
        to_jordan,
        envelope_from=sam.email,
    )

    [notice] = mail.outbox
    assert notice.subject == "Non consegnato: Re: Your order"
    assert (
        "Non è stato possibile leggerla: il testo dell’e-mail è danneggiato (la sua codifica "
        "base64 è difettosa). Non è stato consegnato nulla." in notice.body
    )
    # The intake log, read by the marketplace's staff, stays in English.
    assert result.reason.startswith(
        "It could not be read: the text of the email is damaged (its base64 encoding is broken)."
    )


def test_the_policys_explanation_is_in_the_language_of_the_notice(
    deliver, sam, jordan, northwind, jordans_order
):
    """The check runs in the mail receiver's language (English); the notice does not."""
    factories.buyer_message(jordans_order, "Where is my parcel?")
    mail.outbox.clear()
    _speaks(sam, "de")
    to_jordan = buyer_address(jordan, northwind)

    deliver(
        email_from(sam.email, to_jordan, text="It left today. Write to me: sam.private@gmail.com"),
        to_jordan,
        envelope_from=sam.email,
    )

    [notice] = [sent for sent in mail.outbox if sent.to == [sam.email]]
    assert notice.subject == "Mit Änderungen zugestellt: Your order"
    assert "Nachrichten dürfen keine E-Mail-Adressen enthalten" in notice.body
    assert "(Regel contact.email)" in notice.body
    assert "Entfernt: „sam.private@gmail.com“" in notice.body
    assert "email address" not in notice.body.lower()
