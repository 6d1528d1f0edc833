"""Each recipient reads the new-message email and the reply reminder in their own language,
with the dates in their own time zone: subject and body, whatever the other readers use.

Jordan asks Northwind on Friday 7 March 2025 at 15:00 UTC; the answer is due on Saturday at
15:00 UTC, and the 12-hour reminder goes out at 03:00 UTC. Sam reads each language in turn;
Avery has chosen none, so gets English in the marketplace's zone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import mail

from messagecenter.accounts.models import User
from tests import factories


@dataclass(frozen=True)
class Expected:
    language: str
    zone: str
    new_subject: str
    new_lines: tuple[str, ...]
    html_lines: tuple[str, ...]
    reminder_subject: str
    reminder_lines: tuple[str, ...]


EXPECTED = [
    Expected(
        "en",
        "America/New_York",
        "Duvet cover colours (Order {number})",
        (
            "Jordan Miles wrote about order {number}:",
            "Reply to this email to answer Jordan Miles. Your reply goes through Marketplace, "
            "and your email address stays private.",
            "Read the whole conversation: http://testserver/seller/messages/{conversation}/",
        ),
        ('<html lang="en">', "<strong>Jordan Miles</strong> wrote about order"),
        "Answer due in 12 h: Order {number}",
        (
            "Hello Sam Carter,",
            "Jordan Miles is waiting for an answer from Northwind Home Goods about order {number}.",
            "The answer is due by Sat, Mar 8, 10:00 EST: 12 h left.",
            "Jordan Miles wrote on Fri, Mar 7, 10:00 EST:",
            "Buyers are answered within 24 hours, weekends and holidays included.",
        ),
    ),
    Expected(
        "de",
        "Europe/Berlin",
        "Duvet cover colours (Bestellung {number})",
        (
            "Jordan Miles schrieb zur Bestellung {number}:",
            "Antworten Sie auf diese E-Mail, um Jordan Miles zu antworten. Ihre Antwort läuft "
            "über Marketplace, und Ihre E-Mail-Adresse bleibt privat.",
            "Die ganze Unterhaltung lesen: http://testserver/seller/messages/{conversation}/",
        ),
        ('<html lang="de">', "<strong>Jordan Miles</strong> schrieb zur Bestellung"),
        "Antwort fällig in 12 Std.: Order {number}",
        (
            "Guten Tag Sam Carter,",
            "Jordan Miles wartet auf eine Antwort von Northwind Home Goods zur Bestellung "
            "{number}.",
            "Die Antwort ist fällig bis Samstag, 8. März, 16:00 CET. Noch 12 Std.",
            "Jordan Miles schrieb am Freitag, 7. März, 16:00 CET:",
            "Käufer erhalten innerhalb von 24 Stunden eine Antwort, auch an Wochenenden und "
            "Feiertagen.",
        ),
    ),
    Expected(
        "fr",
        "America/Montreal",
        "Duvet cover colours (commande {number})",
        (
            "Jordan Miles a écrit au sujet de la commande {number} :",
            "Répondez à cet e-mail pour répondre à Jordan Miles. Votre réponse passe par "
            "Marketplace, et votre adresse e-mail reste confidentielle.",
            "Lire toute la conversation : http://testserver/seller/messages/{conversation}/",
        ),
        ('<html lang="fr">', "<strong>Jordan Miles</strong> a écrit au sujet de la commande"),
        "Réponse attendue dans 12 h : Order {number}",
        (
            "Bonjour Sam Carter,",
            "Jordan Miles attend une réponse de Northwind Home Goods concernant la commande "
            "{number}.",
            "La réponse est attendue au plus tard le samedi 8 mars, 10:00 EST. Il reste 12 h.",
            "Jordan Miles a écrit le vendredi 7 mars, 10:00 EST :",
            "Les acheteurs reçoivent une réponse sous 24 heures, week-ends et jours fériés "
            "compris.",
        ),
    ),
    Expected(
        "es",
        "America/Mexico_City",
        "Duvet cover colours (pedido {number})",
        (
            "Jordan Miles escribió sobre el pedido {number}:",
            "Responda a este correo para contestar a Jordan Miles. Su respuesta pasa por "
            "Marketplace y su dirección de correo electrónico se mantiene privada.",
            "Leer toda la conversación: http://testserver/seller/messages/{conversation}/",
        ),
        ('<html lang="es">', "<strong>Jordan Miles</strong> escribió sobre el pedido"),
        "La respuesta vence en 12 h: Order {number}",
        (
            "Hola, Sam Carter:",
            "Jordan Miles espera una respuesta de Northwind Home Goods sobre el pedido {number}.",
            "La respuesta vence el sábado 8 de marzo, 09:00 CST. Tiempo restante: 12 h.",
            "Jordan Miles escribió el viernes 7 de marzo, 09:00 CST:",
            "Los compradores reciben respuesta en menos de 24 horas, fines de semana y festivos "
            "incluidos.",
        ),
    ),
    Expected(
        "it",
        "Asia/Tokyo",
        "Duvet cover colours (ordine {number})",
        (
            "Jordan Miles ha scritto sull’ordine {number}:",
            "Risponda a questa e-mail per rispondere a Jordan Miles. La Sua risposta passa "
            "attraverso Marketplace e il Suo indirizzo e-mail resta riservato.",
            "Legga tutta la conversazione: http://testserver/seller/messages/{conversation}/",
        ),
        ('<html lang="it">', "<strong>Jordan Miles</strong> ha scritto sull’ordine"),
        "Risposta entro 12 ore: Order {number}",
        (
            "Buongiorno Sam Carter,",
            "Jordan Miles attende una risposta da Northwind Home Goods sull’ordine {number}.",
            # 15:00 UTC is midnight in Tokyo: the dates are a day later there. (Django's
            # Italian names of days and months are capitalised, as on the pages.)
            "La risposta è dovuta entro Domenica 9 Marzo, 00:00 JST. Tempo rimasto: 12 ore.",
            "Jordan Miles ha scritto il Sabato 8 Marzo, 00:00 JST:",
            "Gli acquirenti ricevono risposta entro 24 ore, weekend e festivi compresi.",
        ),
    ),
]


def _to(address: str) -> list[mail.EmailMessage]:
    return [sent for sent in mail.outbox if sent.to == [address]]


def _lines(body: str) -> set[str]:
    return {line.strip() for line in body.splitlines()}


@pytest.mark.parametrize("expected", EXPECTED, ids=[e.language for e in EXPECTED])
def test_the_new_message_email_and_the_reminder_are_in_the_readers_language_and_zone(
    clock, sweep, django_capture_on_commit_callbacks, sam, avery, jordans_order, expected
):
    User.objects.filter(pk=sam.pk).update(language=expected.language, time_zone=expected.zone)
    with django_capture_on_commit_callbacks(execute=True):
        asked = factories.buyer_message(
            jordans_order, "Is the duvet cover in stock in sage?", subject="Duvet cover colours"
        )
    clock.advance(hours=12)
    sweep()
    values = {"number": jordans_order.number, "conversation": asked.conversation_id}

    new_message, reminder = _to(sam.email)
    assert new_message.subject == expected.new_subject.format(**values)
    for line in expected.new_lines:
        assert line.format(**values) in _lines(new_message.body)
    [(html, _type)] = new_message.alternatives
    for fragment in expected.html_lines:
        assert fragment in str(html)
    assert reminder.subject == expected.reminder_subject.format(**values)
    for line in expected.reminder_lines:
        assert line.format(**values) in _lines(reminder.body)

    # Avery has chosen no language: English, in the marketplace's zone (UTC here).
    avery_new, avery_reminder = _to(avery.email)
    assert "Jordan Miles wrote about order" in avery_new.body
    assert avery_reminder.subject.startswith("Answer due in 12 h: ")
    assert "The answer is due by Sat, Mar 8, 15:00 UTC: 12 h left." in avery_reminder.body
