"""Language-aware search on PostgreSQL: each message is read in the language the policy
engine detected (stemming for English, German, French, Spanish and Italian, simple for
any other), accents and case ignored, and a query in any of them finds it."""

from __future__ import annotations

import pytest

from messagecenter.search.models import MessageSearch
from messagecenter.search.selectors import message_matches
from tests import factories

pytestmark = pytest.mark.postgresql("stemming per language is PostgreSQL's; FTS5 has porter")

MESSAGES = {
    "mc_english": (
        "The parcels were delivered to the wrong address and the boxes were damaged.",
        ["parcel", "DELIVERING", "box"],
    ),
    "mc_german": (
        "Die Lieferungen sind leider noch nicht angekommen, und die Häuser sind weit weg.",
        ["Lieferung", "haus", "angekommen"],
    ),
    "mc_french": (
        "Les livraisons ne sont pas encore arrivées et les colis sont très abîmés.",
        ["livraison", "arrivee", "abime"],
    ),
    "mc_spanish": (
        "Los envíos todavía no han llegado y las cajas están muy dañadas, por favor.",
        ["envio", "caja", "danada"],
    ),
    "mc_italian": (
        "Le spedizioni non sono ancora arrivate e le scatole sono molto danneggiate.",
        ["spedizione", "scatola", "danneggiata"],
    ),
}


@pytest.mark.parametrize("config", list(MESSAGES))
def test_a_message_is_read_in_its_language_and_found_by_other_forms_of_its_words(
    config, jordans_order, sam
):
    text, queries = MESSAGES[config]
    message = factories.buyer_message(jordans_order, text, subject="Bestellung")

    assert MessageSearch.objects.get(pk=message.pk).config == config
    for query in queries:
        assert [row.message_id for row in message_matches(sam, query)] == [message.pk], query


def test_a_message_in_another_language_is_read_word_for_word(jordans_order, sam):
    message = factories.buyer_message(
        jordans_order, "Pakket is nog niet aangekomen, kunt u het nakijken alstublieft?"
    )

    row = MessageSearch.objects.get(pk=message.pk)
    assert row.config in ("mc_simple", "mc_german", "mc_english")  # whatever was detected
    assert [r.message_id for r in message_matches(sam, "aangekomen")] == [message.pk]


def test_a_word_left_out_leaves_out_every_form_of_it(jordans_order, sam):
    factories.buyer_message(jordans_order, "The deliveries were late again this week.")
    kept = factories.buyer_message(jordans_order, "The parcel was late again this week.")

    assert [r.message_id for r in message_matches(sam, "late -deliveries")] == [kept.pk]
    assert [r.message_id for r in message_matches(sam, "late -delivery")] == [kept.pk]


def test_the_passage_marks_the_stemmed_match(jordans_order, sam):
    factories.buyer_message(jordans_order, "The parcels were delivered to the wrong address.")

    (row,) = message_matches(sam, "parcel")

    assert "\x02parcels\x03" in row.passage
