"""Which of the marketplace's languages a text is written in, sentence by sentence.

Each rule that reads words applies the vocabulary of the language the words are written
in, and only that one: French "retard" (a delay) is never read as the English insult, and a
German sentence in an English message is checked with the German lists. So a text gets a
``LanguageMap``: its main language, and the sentences written in another one.

The language is decided by lingua (lingua-language-detector), which ships its own models
and is restricted to the marketplace's languages (the vocabulary folders). Running it over
every sentence of every message would cost more than the whole check, so it runs on a
sample of the text for the main language, and on a sentence only when that sentence's
function words (``stopwords.txt`` of each language) point to another language than the
main one. Texts too short to tell fall back to the function words, then to the site's
language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from django.conf import settings
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from compliance.detect.normalize import Normalized
from compliance.detect.vocabulary import languages, topic

_SENTENCE = re.compile(r"[^.!?\n]+")
_WORD = re.compile(r"[a-z]+")
_SAMPLE = 200  # characters of the text lingua reads for the main language
_CONFIDENT = 0.6  # lingua's confidence needed to trust its answer
_SWITCH_WORDS = 2  # function words of another language that make a sentence worth a look


@dataclass(frozen=True)
class LanguageMap:
    """The main language of a text, and the stretches of its normalized form that are in
    another one."""

    main: str
    others: tuple[tuple[int, int, str], ...] = ()  # (start, end, language)

    @property
    def found(self) -> tuple[str, ...]:
        """Every language found, the main one first."""
        return tuple(dict.fromkeys([self.main, *(lang for _, _, lang in self.others)]))

    def at(self, offset: int) -> str:
        """The language of the sentence holding this offset of the normalized text."""
        for start, end, language in self.others:
            if start <= offset < end:
                return language
        return self.main

    def spans(self, language: str, length: int) -> Iterator[tuple[int, int]]:
        """The stretches of a text of this length that are written in the language."""
        if language != self.main:
            yield from ((s, e) for s, e, lang in self.others if lang == language)
            return
        cursor = 0
        for start, end, _ in self.others:
            if start > cursor:
                yield cursor, start
            cursor = max(cursor, end)
        if cursor < length:
            yield cursor, length


def default_language() -> str:
    """The site's language, when a text gives nothing to go by."""
    code = getattr(settings, "LANGUAGE_CODE", "en")[:2].lower()
    return code if code in languages() else languages()[0]


@cache
def _detector() -> LanguageDetector:
    wanted = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in languages()]
    # Low accuracy mode loads in a tenth of a second and is as good on whole sentences.
    return LanguageDetectorBuilder.from_languages(*wanted).with_low_accuracy_mode().build()


@cache
def _function_words() -> tuple[tuple[str, frozenset[str]], ...]:
    """(language, its function words) for every language."""
    return tuple(
        (language, frozenset(topic(language, "stopwords").get("function")))
        for language in languages()
    )


def lingua_language(text: str) -> str | None:
    """lingua's answer for the text, when it is confident."""
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < _CONFIDENT:
        return None
    return values[0].language.iso_code_639_1.name.lower()


def _function_word_votes(words: list[str]) -> Counter[str]:
    """How many of the words (each counted once) are function words of each language."""
    distinct = set(words)
    return Counter(
        {language: len(distinct & vocabulary) for language, vocabulary in _function_words()}
    )


def _another_language_may_lead(words: set[str], main: str) -> bool:
    """Whether the whole text has enough function words of another language, that are not
    also the main one's, for any sentence of it to be in that language."""
    vocabularies = dict(_function_words())
    own = vocabularies.get(main, frozenset())
    return any(
        len((words & vocabulary) - own) >= _SWITCH_WORDS
        for language, vocabulary in vocabularies.items()
        if language != main
    )


def _leader(votes: Counter[str]) -> str | None:
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < _SWITCH_WORDS:
        return None
    if len(ranked) > 1 and ranked[1][1] * 3 >= ranked[0][1] * 2:
        return None  # too close to call on function words alone
    return ranked[0][0]


@lru_cache(maxsize=256)
def language_map(original: str, norm: Normalized, fallback: str | None = None) -> LanguageMap:
    """Map a text (as written, and normalized) to its languages; ``fallback`` is the
    language of a text that gives nothing to go by (the site's language if none)."""
    fallback = fallback or default_language()
    if not _WORD.search(norm.text):
        return LanguageMap(fallback)
    all_words = set(_WORD.findall(norm.text))
    main = (
        lingua_language(original[:_SAMPLE])
        or _leader(_function_word_votes(list(all_words)))
        or fallback
    )
    if not _another_language_may_lead(all_words, main):
        return LanguageMap(main)
    sentences = [
        (m.start(), m.end(), _WORD.findall(m.group(0))) for m in _SENTENCE.finditer(norm.text)
    ]
    others: list[tuple[int, int, str]] = []
    for start, end, words in sentences:
        if len(words) < _SWITCH_WORDS:
            continue  # too short to have function words of two languages
        leader = _leader(_function_word_votes(words))
        if leader is None or leader == main:
            continue
        lo, hi = norm.source_span(start, end)
        confirmed = lingua_language(original[lo:hi])
        if confirmed is not None and confirmed != main:
            others.append((start, end, confirmed))
    return LanguageMap(main, tuple(others))
