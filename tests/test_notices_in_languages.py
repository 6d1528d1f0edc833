"""The other emails read in their recipient's language, with dates in their zone: the
password reset link (the account's language, not the page's that asked for it), the bounce
and review notices, the assignment notice and the daily summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from messagecenter.accounts.models import NotificationPreference, User
from messagecenter.messaging.models import Message
from messagecenter.notifications import notices
from messagecenter.notifications.assignment import send_assignment_notice
from messagecenter.notifications.digests import send_due_digests
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import ConversationAssignment
from tests import factories

ASKED_AT = datetime(2025, 3, 7, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _friday_afternoon(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: ASKED_AT)


def _reads(user: User, language: str, zone: str = "") -> None:
    User.objects.filter(pk=user.pk).update(language=language, time_zone=zone)
    user.refresh_from_db()


def _lines(body: str) -> set[str]:
    return {line.strip() for line in body.splitlines()}


def test_the_password_reset_email_is_in_the_accounts_language(client, settings, jordan):
    settings.SITE_URL = "https://messages.example"
    _reads(jordan, "fr")

    # Asked from a page in German: the link goes to Jordan, who reads French.
    client.post(reverse("password_reset"), {"email": jordan.email}, HTTP_ACCEPT_LANGUAGE="de")

    [sent] = mail.outbox
    assert sent.subject == "Réinitialisez le mot de passe de votre Message Center Marketplace"
    assert "Pour choisir un nouveau mot de passe, ouvrez ce lien :" in _lines(sent.body)


def test_the_bounce_and_review_notices_are_in_the_senders_language(sam, jordans_order):
    message = factories.seller_message(jordans_order, sam, subject="Delivery slot")
    _reads(sam, "de", "Europe/Berlin")
    number = jordans_order.number

    notices.send_bounce_notice(message)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.DELIVERED)
    message.refresh_from_db()
    notices.send_review_decision_notice(message)

    bounce, review = mail.outbox
    assert bounce.subject == f"Nicht zugestellt: Delivery slot (Bestellung {number})"
    assert f"Ihre Nachricht „Delivery slot“ zur Bestellung {number} wurde nicht zugestellt." in (
        _lines(bounce.body)
    )
    assert "Sie können diese Hinweise in Ihren Benachrichtigungseinstellungen ausschalten." in (
        _lines(bounce.body)
    )
    assert review.subject == f"Nach Prüfung zugestellt: Delivery slot (Bestellung {number})"
    assert "Ihre Nachricht „Delivery slot“ wurde vom Marktplatz geprüft und zugestellt." in (
        _lines(review.body)
    )


def test_the_assignment_notice_is_in_the_assignees_language_and_zone(sam, avery, jordans_order):
    conversation = factories.buyer_message(jordans_order).conversation
    _reads(avery, "it", "Europe/Rome")

    conversation_assign(conversation=conversation, assignee=avery, by=sam)
    send_assignment_notice(ConversationAssignment.objects.get(assignee=avery).pk)

    [sent] = [m for m in mail.outbox if m.to == [avery.email]]
    assert sent.subject == f"Sam Carter Le ha assegnato: {conversation.subject}"
    body = _lines(sent.body)
    assert "Buongiorno Avery Lee," in body
    assert (
        f"Sam Carter Le ha assegnato la conversazione con Jordan Miles sull’ordine "
        f"{jordans_order.number}: {conversation.subject}" in body
    )
    # Due Saturday 15:00 UTC: 16:00 in Rome.
    assert "L’acquirente attende una risposta, entro Sabato 8 Marzo, 16:00 CET." in body


def test_the_daily_summary_is_in_its_readers_language(avery, jordans_order):
    NotificationPreference.objects.create(user=avery, kind="new_message", frequency="daily")
    factories.buyer_message(jordans_order, subject="Duvet cover colours")
    _reads(avery, "es", "America/Mexico_City")

    send_due_digests()

    [sent] = [m for m in mail.outbox if m.to == [avery.email]]
    assert sent.subject == "Su resumen diario de Marketplace"
    body = _lines(sent.body)
    assert "Hola, Avery Lee:" in body
    assert "Mensajes nuevos (1):" in body
    assert f"- Jordan Miles: Duvet cover colours (pedido {jordans_order.number})" in body
