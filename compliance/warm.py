"""Loading what checking a message needs before the first message arrives.

The engine loads lazily: a language's vocabularies, the language detector's models and the
rule modules on the first message that needs them. A process that serves many messages
(the SMTP relay) loads them at start instead, so that no sender waits for it and
so that what is loaded once can be set aside from the garbage collector
(messagecenter.core.long_running).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from compliance.engine import MessageDraft, OrderFacts, check_message

# Per marketplace language, an ordinary message and one that asks for a review and offers
# a discount: between them they load the vocabularies a check may search (the sentences
# that say nothing, review and promotion wording) and the language detector's models.
_SAMPLES = (
    "Your parcel left our warehouse today; the courier delivers it on Friday.",
    "Thanks! Please leave us a review. Use code SAVE10 for 10% off your next order.",
    "Ihr Paket hat heute unser Lager verlassen; der Kurier liefert es am Freitag.",
    "Danke! Bitte bewerten Sie uns. Mit dem Code SPAR10 sparen Sie 10 % bei der nächsten "
    "Bestellung.",
    "Votre colis a quitté notre entrepôt aujourd'hui ; le transporteur le livre vendredi.",
    "Merci ! Laissez-nous un avis. Avec le code SOLDE10, 10 % de réduction sur votre "
    "prochaine commande.",
    "Su paquete salió hoy de nuestro almacén; el mensajero lo entrega el viernes.",
    "¡Gracias! Déjenos una reseña. Con el código AHORRA10, un 10 % de descuento en su "
    "próximo pedido.",
    "Il suo pacco ha lasciato oggi il nostro magazzino; il corriere lo consegna venerdì.",
    "Grazie! Ci lasci una recensione. Con il codice SCONTO10 il 10% di sconto sul prossimo ordine.",
)


def warm_up() -> None:
    """Check the samples from each side, as replies and as messages the seller starts. The
    phrase lists they use are compiled later, in the background, as their use goes on
    (compliance.detect.phrase_index): compiling them all here would take half a minute."""
    ordered = OrderFacts(ordered_at=datetime.now(UTC) - timedelta(days=3))
    for body in _SAMPLES:
        for side, reply in (("seller", True), ("seller", False), ("buyer", False)):
            check_message(
                MessageDraft(
                    sender_side=side,
                    message_type="reply" if reply or side == "buyer" else "shipment_delay",
                    body=body,
                    reply_to_buyer=reply,
                    order=ordered,
                )
            )
