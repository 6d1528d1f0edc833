"""The contact vocabulary of each language (``compliance/vocab/<language>/contact.txt``),
compiled once for the contact detectors (phones, emails, handles).

What each category is for is written at the top of ``en/contact.txt``. In short:
``[zero]``..``[nine]``, ``[double]``, ``[triple]``: digits written as words; ``[at]``,
``[dot]``: "@" and "." written as words; ``[webmail]``, ``[messenger]``: phrases that hand
over a mail or messaging-app account; ``[call]``: words asking for a call; ``[reference]``:
words that make the next number a reference (an invoice, a return) rather than a phone.

A language's words are meant for text written in that language (the rules check it with
the message's ``LanguageMap``); this module only compiles them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from compliance.detect.phrases import alternation, expand, spread
from compliance.detect.vocabulary import languages, topic

DIGIT_CATEGORIES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEEN_CATEGORIES = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
TENS_CATEGORIES = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# "hundred" multiplies the digit word before it ("trois cents", "doscientos", "trecento");
# a language whose hundreds are irregular words ("quinientos") lists them on their own.
HUNDREDS_CATEGORIES = (
    "hundred",
    "two_hundred",
    "three_hundred",
    "four_hundred",
    "five_hundred",
    "six_hundred",
    "seven_hundred",
    "eight_hundred",
    "nine_hundred",
)
# The value of each category of number words.
VALUES = {
    **{category: value for value, category in enumerate(DIGIT_CATEGORIES)},
    **{category: 10 + value for value, category in enumerate(TEEN_CATEGORIES)},
    **{category: 20 + 10 * value for value, category in enumerate(TENS_CATEGORIES)},
    **{category: 100 * (value + 1) for value, category in enumerate(HUNDREDS_CATEGORIES)},
}
# "at" and "dot" are read in every language: they are how the disguise is known worldwide,
# and they are not words of any of the marketplace's other languages.
UNIVERSAL_AT = ("at",)
UNIVERSAL_DOT = ("dot",)


def _alternation(phrases: list[str], *, shared: bool = False) -> str:
    """Phrases as one group, longest first so that "doppelt" wins over "doppel". With
    ``shared``, branches that start alike share their start (compliance.detect.phrases
    .alternation): a scan over a whole text is then cheap, but the pattern takes longer to
    compile, so only short word lists are built that way."""
    ordered = sorted(dict.fromkeys(phrases), key=len, reverse=True)
    if not ordered:
        return "(?!)"
    if not shared:
        return "(?:" + "|".join(expand(phrase) for phrase in ordered) + ")"
    return alternation([branch for phrase in ordered for branch in spread(expand(phrase))])


@dataclass(frozen=True)
class ContactWords:
    """One language's contact vocabulary, ready to match normalized text."""

    language: str
    values: tuple[tuple[int, re.Pattern[str]], ...]  # (value, whole-word pattern), 0 to 900
    units: str  # the digit words ([zero]..[nine]), as one group
    teens: str  # ten to nineteen
    tens: str  # twenty, thirty, ... ninety
    hundreds: str  # "hundred" and any irregular hundreds, as one group
    joiner: str  # the [and] between tens and units ("et", "y", "und"), if the language has one
    number_words: str  # every number word, as one group
    multipliers: str  # "double" / "triple" words, as one group
    double: re.Pattern[str]
    triple: re.Pattern[str]
    at_words: tuple[str, ...]  # this language's words for "@", regex fragments
    dot_words: tuple[str, ...]
    own_at: re.Pattern[str]  # this language's "@" words other than the universal "at"
    call: str  # the [call] words as one group (compiled with the other languages' ones)
    reference: str  # the [reference] words as one group

    @lru_cache(maxsize=256)  # noqa: B019 - one instance per language, kept for good
    def value_of(self, word: str) -> int | None:
        """The number (0 to 900) a word stands for in this language, or None."""
        for value, pattern in self.values:
            if pattern.fullmatch(word):
                return value
        return None

    def multiplier_of(self, word: str) -> int:
        if self.double.fullmatch(word):
            return 2
        if self.triple.fullmatch(word):
            return 3
        return 1


@cache
def contact_words(language: str) -> ContactWords:
    vocabulary = topic(language, "contact")

    def words(categories: tuple[str, ...]) -> list[str]:
        return [phrase for category in categories for phrase in vocabulary.get(category)]

    values = tuple(
        (value, re.compile(_alternation(list(vocabulary.get(category)))))
        for category, value in VALUES.items()
        if vocabulary.get(category)
    )
    at_words = tuple(vocabulary.get("at"))
    own_at = [w for w in at_words if w not in UNIVERSAL_AT]
    return ContactWords(
        language=language,
        values=values,
        units=_alternation(words(DIGIT_CATEGORIES), shared=True),
        teens=_alternation(words(TEEN_CATEGORIES), shared=True),
        tens=_alternation(words(TENS_CATEGORIES), shared=True),
        hundreds=_alternation(words(HUNDREDS_CATEGORIES)),
        joiner=_alternation(list(vocabulary.get("and"))),
        number_words=_alternation(words(tuple(VALUES)), shared=True),
        multipliers=_alternation([*vocabulary.get("double"), *vocabulary.get("triple")]),
        double=re.compile(_alternation(list(vocabulary.get("double")))),
        triple=re.compile(_alternation(list(vocabulary.get("triple")))),
        at_words=at_words,
        dot_words=tuple(vocabulary.get("dot")),
        own_at=re.compile(rf"(?<![a-z0-9]){_alternation(own_at)}(?![a-z0-9])"),
        call=_alternation(list(vocabulary.get("call"))),
        reference=_alternation(list(vocabulary.get("reference"))),
    )


@cache
def any_own_at() -> re.Pattern[str]:
    """Every language's own words for "@" ("arroba", "Klammeraffe", "chiocciola"), as one
    pattern: most texts hold none, and one search tells."""
    words = [w for language in languages() for w in contact_words(language).at_words]
    return re.compile(_alternation([w for w in words if w not in UNIVERSAL_AT], shared=True))


@cache
def exclusive_digit_words(language: str) -> frozenset[str]:
    """Number words of this language that no other language reads as a number: a run made
    of several of them says which language it is written in, even when the text around it
    is too short for language detection ("sechs fünf fünf eins ...")."""
    own = _plain_words(language)
    others: set[str] = set()
    for other in languages():
        if other != language:
            others |= _plain_words(other)
    return frozenset(own - others)


def _plain_words(language: str) -> set[str]:
    vocabulary = topic(language, "contact")
    return {
        phrase for category in VALUES for phrase in vocabulary.get(category) if phrase.isalpha()
    }


@cache
def handle_keys() -> tuple[tuple[str, ...], re.Pattern[str]]:
    """Every language's [keys] (the providers and apps the handle phrases name): as plain
    substrings, and as a pattern of whole words searched in " " + text."""
    keys = tuple(
        dict.fromkeys(
            key for language in languages() for key in topic(language, "contact").get("keys")
        )
    )
    words = alternation(
        [re.escape(key).replace("\\ ", " ") for key in sorted(keys, key=len, reverse=True)]
    )
    return keys, re.compile(rf"[^a-z0-9]{words}(?![a-z0-9])")


@cache
def handle_phrases() -> re.Pattern[str]:
    """Every language's [webmail] and [messenger] phrases as one pattern; the group that
    matched names the kind. These phrases name a mail provider or a messaging app together
    with "my ... is" or "add me on ...", which no other language writes innocently, so one
    scan serves every language."""
    webmail = [p for lang in languages() for p in topic(lang, "contact").get("webmail")]
    messenger = [p for lang in languages() for p in topic(lang, "contact").get("messenger")]
    return re.compile(
        rf"(?<![a-z0-9@])(?:(?P<webmail>{_alternation(webmail)})"
        rf"|(?P<messenger>{_alternation(messenger)}))"
    )
