"""The vocabularies: every language has every topic, with every category English has, and
every file reads and compiles."""

from __future__ import annotations

import re

import pytest

from compliance.detect.language import language_map
from compliance.detect.normalize import normalize
from compliance.detect.phrase_index import PhraseIndex, merge_hits, reference_hits
from compliance.detect.phrases import CategoryMatcher, expand
from compliance.detect.vocabulary import (
    TOPICS,
    VOCAB_DIR,
    VocabularyError,
    languages,
    parse_topic,
    topic,
)

REFERENCE = "en"
MARKETPLACE_LANGUAGES = {"en", "de", "fr", "es", "it"}


def test_the_marketplace_languages_each_have_a_complete_vocabulary():
    folders = {p.name for p in VOCAB_DIR.iterdir() if p.is_dir()}
    assert folders >= MARKETPLACE_LANGUAGES
    assert set(languages()) >= MARKETPLACE_LANGUAGES  # languages() lists complete ones only


@pytest.mark.parametrize("name", TOPICS)
@pytest.mark.parametrize("language", sorted(MARKETPLACE_LANGUAGES))
def test_each_topic_has_every_category_of_the_reference(language, name):
    reference, vocabulary = topic(REFERENCE, name), topic(language, name)
    for category in reference.phrases:
        assert vocabulary.get(category), f"{language}/{name}.txt misses [{category}]"
    for category in reference.words:
        assert vocabulary.words.get(category), f"{language}/{name}.txt misses [{category} words]"


@pytest.mark.parametrize("name", TOPICS)
@pytest.mark.parametrize("language", sorted(MARKETPLACE_LANGUAGES))
def test_each_topic_compiles(language, name):
    path = VOCAB_DIR / language / f"{name}.txt"
    vocabulary = parse_topic(
        language, name, path.read_text(encoding="utf-8"), str(path), strict=True
    )
    lists = [
        (category, expand(phrase))
        for category, phrases in vocabulary.phrases.items()
        if category != "keys"
        for phrase in phrases
    ]
    CategoryMatcher.build(lists)  # raises on a phrase that is not one branch, or matches ""


@pytest.mark.parametrize("language", sorted(MARKETPLACE_LANGUAGES))
def test_phrases_are_written_in_lower_case(language):
    for name in TOPICS:
        text = (VOCAB_DIR / language / f"{name}.txt").read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.startswith("#"):
                continue
            plain = re.sub(r"\\[A-Za-z]", "", line)  # escapes like \d, \S are syntax
            assert plain == plain.lower(), f"{language}/{name}.txt:{number}: {line}"


def test_syntax_errors_name_the_file_and_line():
    with pytest.raises(VocabularyError, match=r"x.txt:3"):
        parse_topic("xx", "review", "[ask]\nfine\n(unbalanced\n", "x.txt", strict=True)
    with pytest.raises(VocabularyError, match="before the first"):
        parse_topic("xx", "review", "orphan line\n", "x.txt")
    with pytest.raises(VocabularyError, match="nowhere"):
        parse_topic("xx", "review", "[ask]\n@nowhere phrase\n", "x.txt")


def test_fragments_accents_and_rot13():
    vocabulary = parse_topic(
        "xx",
        "offensive",
        "[@good]\nbien\ngenial\n[praise]\nmuy @good\n[slur words rot13]\nnopqrs: es\n"
        "[words words]\nprénom: s\n",
    )
    assert vocabulary.get("praise") == ("muy (?:bien|genial)",)
    assert vocabulary.words["slur"] == (("abcdef", "es"),)
    assert vocabulary.words["words"] == (("prenom", "s"),)


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("Hello, could you confirm the delivery address for your order, please?", "en"),
        ("Hallo, können Sie bitte die Lieferadresse Ihrer Bestellung bestätigen?", "de"),
        ("Bonjour, pourriez-vous confirmer l'adresse de livraison de votre commande ?", "fr"),
        ("Hola, ¿podría confirmar la dirección de entrega de su pedido, por favor?", "es"),
        ("Ciao, potrebbe confermare l'indirizzo di consegna del suo ordine, per favore?", "it"),
    ],
)
def test_the_main_language_of_a_message(text, main):
    assert language_map(text, normalize(text)).main == main


def test_a_sentence_in_another_language_is_found():
    text = (
        "Hello Jordan, your lamp will be delivered on Friday between 9 and 12 by our own "
        "driver, who will call you first. "
        "Bitte geben Sie uns eine Fünf-Sterne-Bewertung, wenn Sie zufrieden sind."
    )
    found = language_map(text, normalize(text))
    assert found.main == "en" and "de" in found.found
    assert found.at(normalize(text).text.index("bewertung")) == "de"
    assert found.at(normalize(text).text.index("delivered")) == "en"


@pytest.mark.parametrize("name", ["promo", "review", "filler", "offensive", "advice"])
@pytest.mark.parametrize("language", sorted(MARKETPLACE_LANGUAGES))
def test_the_index_and_the_compiled_alternation_find_what_each_phrase_finds(language, name):
    """compliance.detect.phrase_index answers, before and after it compiles the whole
    alternation, like every phrase tried one by one (leftmost first, earlier phrase first)."""
    vocabulary = topic(language, name)
    lists = [
        (category, expand(phrase))
        for category in vocabulary.phrases
        if category != "keys"
        for phrase in vocabulary.get(category)
    ]
    index = PhraseIndex(lists)
    compiled = index.compiled()
    for text in _sample_texts(language):
        expected = reference_hits(lists, text)
        assert merge_hits(index.candidates(text), text) == expected, text
        assert compiled.hits(text) == expected, text


def _sample_texts(language: str) -> list[str]:
    from tests.compliance.corpus_cases import load_cases

    return [normalize(case.body).text for case in load_cases() if case.language == language][:60]


def test_branches_taken_apart_by_first_character_keep_their_order():
    """CategoryMatcher.build regroups branches by the character they start with, moving
    look-arounds after it; what it finds stays what the phrases find tried one by one."""
    lists = [
        ("gift", r"(?<!no\s)(?:free|fr)\s+gifts?"),
        ("ahead", r"(?=fre)[a-z]+"),
        ("not_from", r"(?!fro)fr[a-z]*\s+you"),
        ("repeat", r"x*y{1,3}z?"),
        ("symbols", r"[^a-z\s]+x"),
        ("maybe", r"(?:ab|)c"),
        ("percent", r"\d+\s*%"),
        ("stars", r"[★⭐]{2,}"),
        ("start", r"^(?:hi|hello)"),
        ("word", r"[a-z]{2}\d"),
    ]
    matcher = CategoryMatcher.build(lists)
    for text in [
        "hi, a free gift for you, no free gifts, fr gift, freedom from you",
        "hello fresh xxyyz yyyy abc c ab4 +-x ⭐⭐⭐ 10 % off, 5%",
        "from you frost you fro you free you x1 xy9 yz",
    ]:
        assert matcher.hits(text) == reference_hits(lists, text), text
