"""The policy speaks the reader's language and reads the writer's.

What a seller is told about a blocked message (the explanation and what to change), the
message-type catalogue and why a type is closed, and the reasons on the review queue are in
the language of whoever reads them: the sender on the compose page, a reviewer later. The
words quoted from the message stay as they were written. The check itself does not depend on
anyone's language: a message is read with the vocabulary of the language it is written in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from compliance.availability import seller_type_options
from compliance.engine import FileFacts, MessageDraft, OrderFacts, SellerFacts, check_message
from compliance.message_types import MESSAGE_TYPES
from compliance.policy import DEFAULT_POLICY, RULES
from compliance.sanitize import html_to_text
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import MessageViolation
from tests import factories

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
UI_LANGUAGES = ("en", "de", "fr", "es", "it")


def _late_delay(body: str = "Your parcel leaves our warehouse on Monday instead of Friday."):
    """A proactive message 45 days after the order: window.proactive blocks it."""
    return MessageDraft(
        sender_side="seller",
        message_type="shipment_delay",
        body=body,
        order=OrderFacts(ordered_at=NOW - timedelta(days=45)),
        sent_at=NOW,
    )


def _only(verdict, rule: str):
    found = [v for v in verdict.violations if v.rule == rule]
    assert len(found) == 1, [v.rule for v in verdict.violations]
    return found[0]


# --- The explanation and the fix hint, in the reader's language ----------------------------


def test_a_blocked_explanation_and_its_fix_are_in_the_senders_language():
    with translation.override("de"):
        german = _only(check_message(_late_delay()), "window.proactive")
    with translation.override("fr"):
        french = _only(check_message(_late_delay()), "window.proactive")

    assert german.message == (
        "Proaktive Nachrichten müssen innerhalb von 30 Tagen nach dem Bestelldatum gesendet "
        "werden; diese Bestellung wurde vor 45 Tagen aufgegeben. Kritische Nachrichten und "
        "Antworten an den Käufer sind weiterhin möglich."
    )
    assert french.message == (
        "Les messages proactifs doivent être envoyés dans les 30 jours suivant la date de "
        "commande ; cette commande a été passée il y a 45 jours. Les messages critiques et les "
        "réponses à l’acheteur restent possibles."
    )
    # Without a language chosen, English, the source.
    english = _only(check_message(_late_delay()), "window.proactive")
    assert english.message.startswith("Proactive messages must be sent within 30 days")


def test_quoted_words_stay_as_written_inside_the_translated_explanation():
    draft = MessageDraft(
        sender_side="seller",
        message_type="reply",
        body="Use code SAVE10 for 10% off your next order.",
        reply_to_buyer=True,
        sent_at=NOW,
    )
    with translation.override("de"):
        german = [v for v in check_message(draft).violations if v.rule == "promo.marketing"]
    with translation.override("fr"):
        french = [v for v in check_message(draft).violations if v.rule == "promo.marketing"]

    assert german and french
    assert any(
        "sind Werbung und in Nachrichten an Käufer nicht erlaubt: Entfernen Sie „" in v.message
        for v in german
    )
    assert any(
        "interdits dans les messages aux acheteurs : supprimez « " in v.message for v in french
    )
    # The excerpt is the seller's English, in both.
    assert {v.excerpt for v in german} == {v.excerpt for v in french}
    assert all(v.excerpt in draft.body for v in german)


def test_a_violation_carries_its_explanation_in_every_language():
    with translation.override("it"):
        violation = _only(check_message(_late_delay()), "window.proactive")

    assert set(violation.messages) == set(UI_LANGUAGES)
    assert violation.message == violation.messages["it"]
    assert violation.message_in("es").startswith(
        "Los mensajes proactivos deben enviarse en los 30 días siguientes"
    )
    assert violation.message_in("en").startswith("Proactive messages must be sent within")


def test_an_attachment_error_is_in_the_senders_language():
    draft = MessageDraft(
        sender_side="seller",
        message_type="send_invoice",
        body="Your invoice is attached.",
        attachments=(FileFacts("setup.exe", 4, lambda: b"MZ\x90\x00"),),
        order=OrderFacts(ordered_at=NOW - timedelta(days=2)),
        sent_at=NOW,
    )
    with translation.override("de"):
        german = _only(check_message(draft), "attach.type")
    with translation.override("fr"):
        french = _only(check_message(draft), "attach.type")

    assert german.message.startswith(
        "„setup.exe“ ist eine .exe-Datei; .exe-Dateien können nicht angehängt werden. "
        "Zulässige Typen:"
    )
    assert french.message.startswith(
        "« setup.exe » est un fichier .exe ; les fichiers .exe ne peuvent pas être joints."
    )
    assert german.excerpt == french.excerpt == "setup.exe"


def test_a_redaction_placeholder_is_in_the_senders_language():
    draft = MessageDraft(
        sender_side="buyer",
        message_type="buyer_inquiry",
        body="Bitte schreiben Sie mir direkt an jana.keller@beispiel.de, danke.",
        sent_at=NOW,
    )
    with translation.override("de"):
        verdict = check_message(draft)

    assert "[E-Mail-Adresse entfernt]" in html_to_text(verdict.body_html)
    assert "jana.keller" not in verdict.body_html


# --- The catalogue and why a type is closed ------------------------------------------------


def test_the_message_type_catalogue_is_translated():
    warranty = MESSAGE_TYPES["warranty"]
    with translation.override("de"):
        assert (warranty.label, warranty.purpose) == (
            "Garantie",
            "Garantieunterlagen mit Beginn und Ende der Garantiezeit.",
        )
        assert RULES["review.manipulation"].title == "Bewertungsmanipulation"
    with translation.override("fr"):
        assert MESSAGE_TYPES["confirm_order_details"].label == (
            "Confirmer les détails de la commande"
        )
        assert MESSAGE_TYPES["review_request"].purpose == (
            "Demander de façon neutre un avis sur le produit ou sur le vendeur."
        )
        assert RULES["review.manipulation"].catches.startswith("demander uniquement des avis")
    assert warranty.label == "Warranty"


def test_why_a_type_cannot_be_sent_is_in_the_readers_language():
    def closed(language: str) -> dict[str, tuple[str, ...]]:
        with translation.override(language):
            options = seller_type_options(
                order=OrderFacts(ordered_at=NOW - timedelta(days=45)),
                seller=SellerFacts(),
                reply_to_buyer=False,
                now=NOW,
                policy=DEFAULT_POLICY,
            )
        return {o.id: o.reasons for o in options if not o.available}

    german, french = closed("de"), closed("fr")
    assert (
        "Werbenachrichten (Gutscheine, Sonderangebote, Hinweise auf wieder verfügbare Artikel) "
        "sind nach der Nachrichtenrichtlinie des Marktplatzes nicht erlaubt."
    ) in german["promotion"]
    assert french["shipment_delay"][0].startswith(
        "Les messages proactifs doivent être envoyés dans les 30 jours"
    )


# --- Through the real pages ----------------------------------------------------------------


def test_a_german_seller_reads_why_the_compose_page_blocked_the_message(client, sam, jordans_order):
    jordans_order.ordered_at = timezone.now() - timedelta(days=45)
    jordans_order.save()
    sam.language = "de"
    sam.save(update_fields=["language"])
    client.force_login(sam)

    response = client.post(
        reverse("contact_buyer", args=[jordans_order.number]),
        {
            "message_type": "shipment_delay",
            "subject": "Running late",
            "body": "Your parcel leaves our warehouse on Monday instead of Friday.",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "window.proactive" in page
    assert "Proaktive Nachrichten müssen innerhalb von 30 Tagen nach dem Bestelldatum" in page
    assert "Kritische Nachrichten und Antworten an den Käufer sind weiterhin möglich." in page
    assert "Proactive messages must be sent" not in page
    # What the seller wrote is kept as written.
    assert "Your parcel leaves our warehouse on Monday instead of Friday." in page


def test_the_live_check_answers_in_the_writers_language(client, sam, jordans_order):
    sam.language = "fr"
    sam.save(update_fields=["language"])
    client.force_login(sam)

    response = client.post(
        reverse("compliance_check"),
        {
            "order": jordans_order.number,
            "message_type": "confirm_order_details",
            "body": "Please confirm your address. Use code SAVE10 for 10% off!",
        },
    )

    found = {v["rule"]: v for v in response.json()["violations"]}
    assert found["promo.marketing"]["message"].startswith("Les bons de réduction")
    assert found["promo.marketing"]["title"] == "Marketing"


@pytest.fixture
def held_in_english(db, sam, jordans_order):
    """A message flagged for review, sent by an English-speaking seller."""
    from compliance.models import PolicySettings, RuleSetting

    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    message = factories.seller_message(
        jordans_order,
        sam,
        "Your licence key is ABCD-1234. " + "Setup notes follow. " * 30,
        message_type="digital_access_key",
        subject="Your licence",
    )
    assert message.status == Message.Status.HELD
    return message


def test_a_french_reviewer_reads_why_a_message_was_held_in_french(client, held_in_english, morgan):
    morgan.language = "fr"
    morgan.save(update_fields=["language"])
    client.force_login(morgan)

    page = unescape(
        client.get(reverse("review_message", args=[held_in_english.pk])).content.decode()
    )

    assert "type.text_length" in page
    assert "Le message compte 630 caractères ; un message de type « Clé d’accès numérique »" in page
    assert "peut en compter au plus 400. Raccourcissez-le de 230." in page
    assert "The message is 630 characters long" not in page
    # The audit trail keeps the English source, and the sentence in every language.
    kept = MessageViolation.objects.get(message=held_in_english)
    assert kept.explanation.startswith("The message is 630 characters long")
    assert kept.explanations["de"].startswith("Die Nachricht ist 630 Zeichen lang")


def test_an_older_violation_without_languages_is_shown_as_it_was_kept(
    client, held_in_english, morgan
):
    MessageViolation.objects.filter(message=held_in_english).update(explanations=None)
    morgan.language = "fr"
    morgan.save(update_fields=["language"])
    client.force_login(morgan)

    page = unescape(
        client.get(reverse("review_message", args=[held_in_english.pk])).content.decode()
    )

    assert "The message is 630 characters long" in page


# --- A message is checked in the language it is written in ----------------------------------

# One message per marketplace language that breaks promo.marketing and review wording in its
# own words (compliance/warm.py's samples).
WRITTEN = {
    "en": "Thanks! Please leave us a review. Use code SAVE10 for 10% off your next order.",
    "de": "Danke! Bitte bewerten Sie uns. Mit dem Code SPAR10 sparen Sie 10 % bei der nächsten "
    "Bestellung.",
    "fr": "Merci ! Laissez-nous un avis. Avec le code SOLDE10, 10 % de réduction sur votre "
    "prochaine commande.",
    "es": "¡Gracias! Déjenos una reseña. Con el código AHORRA10, un 10 % de descuento en su "
    "próximo pedido.",
    "it": "Grazie! Ci lasci una recensione. Con il codice SCONTO10 il 10% di sconto sul "
    "prossimo ordine.",
}


def _found(body: str) -> list[tuple[str, str, str, str]]:
    verdict = check_message(
        MessageDraft(sender_side="seller", message_type="reply", body=body, reply_to_buyer=True)
    )
    return [(v.rule, v.action.value, v.excerpt, v.language) for v in verdict.violations]


@pytest.mark.parametrize("written_in", sorted(WRITTEN))
def test_the_check_does_not_depend_on_the_senders_interface_language(written_in):
    found = {}
    for ui in UI_LANGUAGES:
        with translation.override(ui):
            found[ui] = _found(WRITTEN[written_in])

    assert found["en"], "the sample must break a rule"
    assert all(findings == found["en"] for findings in found.values()), found
    # Every phrase found was read as the message's own language.
    assert {language for *_, language in found["en"] if language} == {written_in}
    assert any(rule == "promo.marketing" for rule, *_ in found["en"])


def test_a_german_user_writing_english_is_checked_with_english_words_and_vice_versa():
    with translation.override("de"):
        english = _found("Use code SAVE10 for 10% off your next order.")
    with translation.override("en"):
        german = _found("Mit dem Code SPAR10 sparen Sie 10 % bei Ihrer nächsten Bestellung.")

    assert ("promo.marketing", "block") in {(rule, action) for rule, action, *_ in english}
    assert {language for rule, _, _, language in english if rule == "promo.marketing"} == {"en"}
    assert ("promo.marketing", "block") in {(rule, action) for rule, action, *_ in german}
    assert {language for rule, _, _, language in german if rule == "promo.marketing"} == {"de"}


def test_what_the_policy_found_in_a_reviewers_edit_is_shown_in_the_readers_language(
    client, held_in_english, morgan
):
    client.force_login(morgan)
    response = client.post(
        reverse("review_message", args=[held_in_english.pk]),
        {
            "decision": "edit",
            "subject": "Your licence",
            "body": "Your licence key is ABCD-1234. Questions? Write to sam.carter@gmail.com.",
        },
    )
    assert response.status_code == 302
    client.get(reverse("review_queue"))  # the notice of what changed, told at once
    morgan.language = "fr"
    morgan.save(update_fields=["language"])

    page = unescape(
        client.get(reverse("review_message", args=[held_in_english.pk])).content.decode()
    )

    assert "Les messages ne peuvent pas contenir d’adresses e-mail" in page
    assert "Messages can't contain email addresses" not in page
