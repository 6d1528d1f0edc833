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
main one.

lingua's fast mode misreads short texts ("Thank you for your order!" as German), so the
function words have a say: when they clearly point to one language and lingua's answer
has none of them, they win. A short text whose language is still in doubt is read in every
language it plausibly is in (``also``): lingua's runners-up, the languages of its function
words and the site's language, so a seven-word message is not let through because its
language was guessed wrong.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from django.conf import settings
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from compliance.detect.normalize import Normalized
from compliance.detect.sentence_split import sentence_index, sentence_spans
from compliance.detect.vocabulary import languages, topic

_WORD = re.compile(r"[a-z]+")


# Keeps a-z and turns every other byte into a space. A text is first encoded as Latin-1
# with "?" for what Latin-1 cannot hold, one byte per character, so offsets stay those of
# the text; bytes.translate then does in C what str.translate does far more slowly.
_LETTERS_ONLY = bytes(code if 97 <= code <= 122 else 32 for code in range(256))


def _letters_only(text: str) -> str:
    """The text with every character but a-z made a space (same length, same offsets):
    splitting it gives the words of the text three times faster than a regex."""
    return text.encode("latin-1", "replace").translate(_LETTERS_ONLY).decode("ascii")


_SAMPLE = 200  # characters of the text lingua reads for the main language
_CONFIDENT = 0.6  # lingua's confidence needed to trust its answer
_SWITCH_WORDS = 2  # function words of another language that make a sentence worth a look
_LIKELY = 0.3  # below lingua's confidence bar, but still better than the site's language
_PLAUSIBLE = 0.05  # lingua's confidence in a language a short text may still be in
_SURE = 0.95  # lingua's confidence that settles a tie between function words
_OVERWHELMING = 4  # function words of one language that outweigh lingua on a short text
_SHORT_WORDS = 12  # distinct words: below this, a text is read in each plausible language
_DECISIVE = 5  # distinct function words of one language that settle a longer text's language


@dataclass(frozen=True)
class LanguageMap:
    """The main language of a text, and the stretches of its normalized form that are in
    another one."""

    main: str
    others: tuple[tuple[int, int, str], ...] = ()  # (start, end, language)
    # A short text whose language is in doubt is also read, whole, in these languages.
    also: tuple[str, ...] = ()

    @cached_property  # asked for with every phrase hit and every language searched
    def found(self) -> tuple[str, ...]:
        """Every language to read the text in, the main one first."""
        return tuple(dict.fromkeys([self.main, *(lang for _, _, lang in self.others), *self.also]))

    def covers(self, language: str, offset: int) -> bool:
        """Whether the text at this offset is to be read in the language."""
        return language in self.also or self.at(offset) == language or len(self.found) == 1

    def readings(self, offset: int) -> tuple[str, ...]:
        """The languages to read the sentence at this offset in, the likeliest first."""
        return tuple(dict.fromkeys([self.at(offset), *self.also]))

    def at(self, offset: int) -> str:
        """The language of the sentence holding this offset of the normalized text."""
        for start, end, language in self.others:
            if start <= offset < end:
                return language
        return self.main

    def spans(self, language: str, length: int) -> Iterator[tuple[int, int]]:
        """The stretches of a text of this length that are written in the language."""
        if language in self.also:
            yield 0, length
            return
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


def function_words(language: str) -> frozenset[str]:
    """The function words of one language (its stopwords.txt [function])."""
    return dict(_function_words()).get(language, frozenset())


def lingua_ranking(text: str) -> list[tuple[str, float]]:
    """lingua's languages for the text, likeliest first, with its confidence in each."""
    return [
        (value.language.iso_code_639_1.name.lower(), value.value)
        for value in _detector().compute_language_confidence_values(text)
    ]


def lingua_language(text: str) -> str | None:
    """lingua's answer for the text, when it is confident."""
    ranked = lingua_ranking(text)
    if not ranked or ranked[0][1] < _CONFIDENT:
        return None
    return ranked[0][0]


@cache
def _any_function_word() -> frozenset[str]:
    return frozenset().union(*(vocabulary for _, vocabulary in _function_words()))


def _function_word_votes(words: list[str] | set[str]) -> Counter[str]:
    """How many of the words (each counted once) are function words of each language."""
    # One pass over a text's few hundred words keeps the few dozen function words, and the
    # languages are counted on those rather than on every word once per language.
    distinct = _any_function_word().intersection(words)
    return Counter(
        {language: len(distinct & vocabulary) for language, vocabulary in _function_words()}
    )


@cache
def _foreign_words(main: str) -> frozenset[str]:
    """Function words of the other languages that are not also the main one's."""
    vocabularies = dict(_function_words())
    others = [vocabulary for language, vocabulary in vocabularies.items() if language != main]
    return frozenset().union(*others) - vocabularies.get(main, frozenset())


def _leader(votes: Counter[str]) -> str | None:
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < _SWITCH_WORDS:
        return None
    if len(ranked) > 1 and ranked[1][1] * 3 >= ranked[0][1] * 2:
        return None  # too close to call on function words alone
    return ranked[0][0]


def _main_language(
    votes: Counter[str], ranked: list[tuple[str, float]], fallback: str
) -> tuple[str, bool]:
    """The text's language, and whether lingua and the function words agree on it."""
    lead = _leader(votes)
    top, confidence = ranked[0] if ranked else (fallback, 0.0)
    if lead is not None:
        if lead == top and confidence >= _CONFIDENT:
            return lead, True
        others = max((n for lang, n in votes.items() if lang != lead), default=0)
        if _OVERWHELMING <= votes[lead] >= 2 * others:
            # Four function words of one language and half as many of any other: on a short
            # text lingua is the less reliable witness ("We're unable to offer a voucher for
            # this item" reads as French to it).
            return lead, True
        if confidence < _CONFIDENT or votes[lead] >= votes[top] + _SWITCH_WORDS:
            return lead, False
    elif confidence >= _SURE and votes[top] and votes[top] == max(votes.values()):
        # Function words tied between related languages (Spanish and Italian share many),
        # and lingua all but certain of one of them.
        return top, True
    if confidence >= _LIKELY:
        return top, False
    return fallback, False


def _plausible(
    votes: Counter[str], ranked: list[tuple[str, float]], fallback: str
) -> tuple[str, ...]:
    """Every language a short text of doubtful language may be written in."""
    return tuple(
        dict.fromkeys(
            [
                *(language for language, value in ranked if value >= _PLAUSIBLE),
                *(language for language, count in votes.items() if count),
                fallback,
            ]
        )
    )


def _positions(letters: str, words: set[str]) -> list[int]:
    """Where each of the words stands in a text, in order. ``letters`` is the text with
    every character but a-z made a space and a space added at each end: a word is then a
    plain substring between two spaces, which str.find locates far faster than a regular
    expression testing for a letter on either side at every character."""
    found: list[int] = []
    for word in words:
        needle = f" {word} "
        at = letters.find(needle)
        while at >= 0:
            found.append(at)  # the space before the word: the word's offset in the text
            at = letters.find(needle, at + len(word) + 1)
    found.sort()
    return found


_SENTENCE_END = re.compile(r"[.!?\n]")


def _two_in_a_sentence(text: str, positions: list[int]) -> bool:
    """Whether two of these word positions may be in one sentence: nothing that can end a
    sentence lies between them (a cheap test before the text is split into sentences)."""
    return any(
        _SENTENCE_END.search(text, before, after) is None
        for before, after in itertools.pairwise(positions)
    )


@lru_cache(maxsize=256)
def language_map(original: str, norm: Normalized, fallback: str | None = None) -> LanguageMap:
    """Map a text (as written, and normalized) to its languages; ``fallback`` is the
    language of a text that gives nothing to go by (the site's language if none)."""
    given_fallback = fallback is not None
    fallback = fallback or default_language()
    if not _WORD.search(norm.text):
        return LanguageMap(fallback)
    letters = _letters_only(norm.text)
    all_words = set(letters.split())
    votes = _function_word_votes(all_words)
    lead = _leader(votes)
    ranked: list[tuple[str, float]] = []
    if lead is not None and votes[lead] >= _DECISIVE and len(all_words) >= _SHORT_WORDS:
        main, agreed = lead, True  # plenty of function words: lingua would say the same
    elif given_fallback and votes[fallback] and votes[fallback] == max(votes.values()):
        # A short text (a subject) whose few function words are its message's language:
        # lingua, on three words and an order number, is no better than a guess.
        main, agreed = fallback, True
    else:
        ranked = lingua_ranking(original[:_SAMPLE])
        main, agreed = _main_language(votes, ranked, fallback)
    if len(all_words) < _SHORT_WORDS and not agreed:
        also = tuple(lang for lang in _plausible(votes, ranked, fallback) if lang != main)
        return LanguageMap(main, also=also)
    foreign = all_words & _foreign_words(main)
    if len(foreign) < _SWITCH_WORDS:
        return LanguageMap(main)
    # Only sentences holding two of those words can be in another language.
    where = _positions(f" {letters} ", foreign)
    if not _two_in_a_sentence(norm.text, where):
        return LanguageMap(main)
    sentences = sentence_spans(norm.text)
    per_sentence = Counter(sentence_index(sentences, position) for position in where)
    others: list[tuple[int, int, str]] = []
    for index, count in sorted(per_sentence.items()):
        if count < _SWITCH_WORDS:
            continue
        sentence_start, sentence_end = sentences[index]
        words = _WORD.findall(norm.text, sentence_start, sentence_end)
        if len(foreign.intersection(words)) < _SWITCH_WORDS:
            continue  # one word of another language, twice
        leader = _leader(_function_word_votes(words))
        if leader is None or leader == main:
            continue
        lo, hi = norm.source_span(sentence_start, sentence_end)
        confirmed = lingua_language(original[lo:hi])
        if confirmed is not None and confirmed != main:
            others.append((sentence_start, sentence_end, confirmed))
    return LanguageMap(main, tuple(others))
