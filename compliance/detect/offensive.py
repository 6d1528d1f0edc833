"""Offensive and sensitive language in a text: profanity, slurs, threats and insults, sexual
content, self-harm, and requests for (or disclosures of) card numbers and passwords.

Words are matched as written (with repeated letters) in one pass over the text. Disguised
spellings (sh1t, f*ck, a$$, s h i t) cost more to search for, so they are only looked for
near a hint: a digit or symbol touching a letter, or single letters spaced apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from compliance.detect.phrase_index import PhraseIndex
from compliance.detect.phrases import (
    SPACED_LETTERS,
    START,
    CategoryMatcher,
    expand,
    fuzzy_word,
    plain_word,
)
from compliance.detect.vocabulary import topic

WORD_LISTS = ("slur", "profanity", "sexual")
PHRASE_LISTS = ("harassment", "sexual", "self_harm", "personal_data")
_SPACED, _NUMBER = "spaced", "number"  # not findings themselves: looked at more closely


@cache
def _as_written(language: str) -> PhraseIndex:
    vocabulary = topic(language, "offensive")
    branches = [
        (category, expand(phrase))
        for category in PHRASE_LISTS
        for phrase in vocabulary.get(category)
    ]
    branches += [
        (category, plain_word(stem, endings))
        for category in WORD_LISTS
        for stem, endings in vocabulary.words.get(category, ())
    ]
    # The look-ahead only says what the run needs anyway (eight more digits, spaces or
    # dashes) with a cheap scan, so that the many shorter numbers fail at once.
    branches.append((_NUMBER, r"[0-9](?=[0-9 -]{8})(?:[ -]?[0-9]){8,18}(?!-?[0-9])"))
    branches.append((_SPACED, SPACED_LETTERS))  # last: a hint, only where nothing matched
    return PhraseIndex(branches)


@cache
def _disguised(language: str) -> CategoryMatcher:
    vocabulary = topic(language, "offensive")
    return CategoryMatcher.build(
        [
            (category, fuzzy_word(stem, endings))
            for category in WORD_LISTS
            for stem, endings in vocabulary.words.get(category, ())
        ]
    )


_DISGUISE_HINT = re.compile(r"[*#@$!|+0-9](?:(?<=[a-z][*#@$0-9])|(?=[a-z]))")
_WORD_REST = re.compile(r"[a-z0-9*#@$!|+]*")
_HINT_REACH = 24
# A long number is a card number if it starts like one and the Luhn sum says so. (Social
# security numbers look like order numbers; they are caught when named: "my SSN is".)
_CARD_PREFIX = re.compile(r"4|5[1-5]|2[2-7]|3[47]|6(?:011|5)|35")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_card_number(number: str) -> bool:
    digits = number.replace(" ", "").replace("-", "")
    return 13 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) is not None and _luhn_ok(digits)


def offensive_spans(text: str, language: str) -> Iterator[tuple[str, int, int]]:
    """(category, start, end) of each offensive or sensitive passage in normalized text,
    with the word lists of the language."""
    hints = [m.start() for m in _DISGUISE_HINT.finditer(text)]
    for category, start, end in _as_written(language).hits(text):
        if category == _SPACED:
            hints.append(start)
        elif category == _NUMBER:
            if _is_card_number(text[start:end]):
                yield "personal_data", start, end
        else:
            yield category, start, end
    searched_up_to = 0  # windows never overlap, so no word is reported twice
    marked = START + text
    for hint in sorted(hints):
        lo = max(searched_up_to, hint - _HINT_REACH)
        word_end = _WORD_REST.match(text, min(len(text), hint + _HINT_REACH))
        hi = word_end.end() if word_end else len(text)
        if hi <= lo:
            continue
        yield from _disguised(language).hits_within(marked, lo, hi)
        searched_up_to = hi
