"""The policy's vocabularies: one data file per language and topic, read when first needed.

``compliance/vocab/<language>/<topic>.txt`` holds the words and phrases one topic needs in
one language (``en/review.txt``, ``de/promo.txt``, ...). A language is a folder holding
every topic in ``TOPICS``: adding a sixth language is adding its folder. The files are
reviewed like code and tested (``tests/compliance/test_vocabulary.py``).

File syntax, one item per line:

* ``# ...``: a comment (only at the start of a line).
* ``[category]``: the lines that follow are the category's phrases. ``[category words]``
  holds ``stem: endings`` lines instead (offensive words, matched with their disguises);
  ``[category words rot13]`` the same with the stem ROT13-encoded (the endings stay as
  written), so reading the file does not mean reading slurs.
* ``[@name]``: a fragment. Its lines are alternatives; ``@name`` in any later phrase of
  the file stands for all of them, as one group.
* anything else: one phrase of the current category, a regular-expression fragment matched
  against normalized text (compliance.detect.normalize: lower case, no accents). Three
  shorthands keep phrases readable: a space matches any run of whitespace, a space before
  ``?`` optional whitespace, and ``'`` any apostrophe. So never put a space or an apostrophe
  inside a character class: write ``\\s`` or ``\\x27``. A phrase is matched from the start
  of a word to the end of one.

Phrases may be written with their accents (``é``, ``ü``, ``ñ``): they are folded like the
text they are matched against, so ``prénom`` finds "prénom", "prenom" and "PRÉNOM".
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from compliance.detect.normalize import normalize
from compliance.detect.phrase_index import PhraseIndex, StretchSearch
from compliance.detect.phrases import expand

VOCAB_DIR = Path(__file__).resolve().parent.parent / "vocab"

# Every language folder holds each of these files.
TOPICS = (
    "stopwords",  # function words: which language a sentence is in, and what says nothing
    "review",  # review requests, and manipulated ones
    "promo",  # coupons, discounts, sales, cross-selling, newsletters
    "optout",  # unsubscribe and opt-out wording
    "offensive",  # profanity, slurs, threats, sexual and sensitive content
    "filler",  # greetings, thanks, pleasantries, offers of help: sentences saying nothing
    "confirmation",  # order, shipping and delivery confirmations
    "contact",  # digits and "at" / "dot" in words, webmail and messenger handles
    "critical",  # what an order needs: a sentence saying one of these carries information
    "advice",  # care tips and how-to: a sentence giving only these is no critical content
)

_FRAGMENT = re.compile(r"(?<!\\)@([a-z_][a-z0-9_]*)")  # "\@" is a plain at-sign
_HEADER = re.compile(r"\[(@?[a-z_][a-z0-9_]*)((?: [a-z0-9]+)*)\]")


class VocabularyError(ValueError):
    """A vocabulary file that cannot be read; says which file and line."""


@dataclass(frozen=True)
class Topic:
    """One topic in one language: its categories, ready to compile."""

    language: str
    name: str
    phrases: Mapping[str, tuple[str, ...]]  # category -> phrases (regex fragments)
    words: Mapping[str, tuple[tuple[str, str], ...]]  # category -> (stem, endings)

    def get(self, category: str) -> tuple[str, ...]:
        return self.phrases.get(category, ())

    def alternation(self, category: str) -> str:
        """All phrases of a category as one group, or a pattern that never matches."""
        phrases = self.get(category)
        return "(?:" + "|".join(phrases) + ")" if phrases else "(?!)"


@cache
def languages() -> tuple[str, ...]:
    """The languages the policy reads: every folder of VOCAB_DIR that holds every topic, in
    alphabetical order."""
    return tuple(
        sorted(
            folder.name
            for folder in VOCAB_DIR.iterdir()
            if folder.is_dir() and all((folder / f"{name}.txt").exists() for name in TOPICS)
        )
    )


@cache
def topic(language: str, name: str) -> Topic:
    """The topic's file for the language, parsed once."""
    if name not in TOPICS:
        raise VocabularyError(f"unknown topic {name!r}")
    path = VOCAB_DIR / language / f"{name}.txt"
    return parse_topic(language, name, path.read_text(encoding="utf-8"), str(path))


def parse_topic(
    language: str, name: str, text: str, where: str = "<text>", *, strict: bool = False
) -> Topic:
    """Read a topic file's text. ``strict`` also compiles every phrase (the tests do; at run
    time a phrase is compiled only when a text may hold it)."""
    fragments: dict[str, str] = {}
    phrases: dict[str, list[str]] = {}
    words: dict[str, list[tuple[str, str]]] = {}
    section: str | None = None
    options: set[str] = set()
    fragment_lines: list[str] = []

    def close_fragment() -> None:
        if section and section.startswith("@"):
            if not fragment_lines:
                raise VocabularyError(f"{where}: fragment {section} is empty")
            fragments[section[1:]] = "(?:" + "|".join(fragment_lines) + ")"

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.fullmatch(line)
        if header:
            close_fragment()
            section, options = header.group(1), set(header.group(2).split())
            fragment_lines = []
            if not section.startswith("@"):
                target = words if "words" in options else phrases
                target.setdefault(section, [])
            continue
        if section is None:
            raise VocabularyError(f"{where}:{number}: a line before the first [section]")
        try:
            if section.startswith("@"):
                fragment_lines.append(_resolve(_fold(line), fragments))
            elif "words" in options:
                stem, _, endings = line.partition(":")
                stem = stem.strip()
                if "rot13" in options:
                    stem = codecs.decode(stem, "rot13")
                words[section].append((_fold(stem), endings.strip()))
            else:
                phrase = _resolve(_fold(line), fragments)
                if strict:
                    re.compile(expand(phrase))
                phrases[section].append(phrase)
        except (KeyError, re.error) as error:
            raise VocabularyError(f"{where}:{number}: {error}: {line!r}") from error
    close_fragment()
    return Topic(
        language,
        name,
        {category: tuple(items) for category, items in phrases.items()},
        {category: tuple(items) for category, items in words.items()},
    )


def _fold(line: str) -> str:
    """Fold a phrase like the text it is matched against; regex syntax is ASCII and stays."""
    if line.isascii():
        return line
    return "".join(ch if ch.isascii() else normalize(ch).text for ch in line)


def _resolve(phrase: str, fragments: Mapping[str, str]) -> str:
    return _FRAGMENT.sub(lambda m: fragments[m.group(1)], phrase)


@cache
def phrase_matcher(language: str, topic_name: str, categories: tuple[str, ...]) -> PhraseIndex:
    """The matcher for these categories of a topic in a language, built on first use: a
    message in English never pays for the German lists, and a phrase is compiled only once
    a text may hold it (compliance.detect.phrase_index)."""
    vocabulary = topic(language, topic_name)
    return PhraseIndex(
        ((category, expand(p)) for category in categories for p in vocabulary.get(category)),
        common_words=topic(language, "stopwords").get("function"),
    )


@cache
def phrase_pattern(language: str, topic_name: str, categories: tuple[str, ...]) -> re.Pattern[str]:
    """The categories' phrases as one search pattern, each hit a whole word or more."""
    vocabulary = topic(language, topic_name)
    phrases = [expand(p) for category in categories for p in vocabulary.get(category)]
    if not phrases:
        return re.compile(r"(?!)")
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(phrases) + r")(?![a-z0-9])")


@cache
def phrase_finder(
    language: str, topic_name: str, categories: tuple[str, ...]
) -> StretchSearch | None:
    """The categories' phrases for asking whether one lies in a stretch of a text
    (StretchSearch.found_within): the answer of ``phrase_pattern``'s search, found, once
    asked often, by skipping from word start to word start. None when the categories have
    no phrases."""
    vocabulary = topic(language, topic_name)
    lists = [(category, expand(p)) for category in categories for p in vocabulary.get(category)]
    if not lists:
        return None
    return StretchSearch(phrase_pattern(language, topic_name, categories), lists)


@cache
def keys(language: str, topic_name: str) -> tuple[str, ...]:
    """The topic's [keys]: plain substrings, one of which any phrase of the topic contains."""
    return topic(language, topic_name).get("keys")


@cache
def word_set(language: str, topic_name: str, category: str) -> frozenset[str]:
    """A category of single words (function words, neutral words), as a set."""
    return frozenset(topic(language, topic_name).get(category))


@cache
def substring_pattern(
    language: str, topic_name: str, categories: tuple[str, ...]
) -> re.Pattern[str]:
    """The categories' phrases as one pattern that may match inside a word (link targets
    such as "/newsletter/unsubscribe?id=7")."""
    vocabulary = topic(language, topic_name)
    phrases = [expand(p) for category in categories for p in vocabulary.get(category)]
    return re.compile("|".join(phrases) if phrases else r"(?!)")


@cache
def phrase_index(language: str, topic_name: str, category: str) -> PhraseIndex:
    """One category's phrases, found like ``phrase_matcher`` finds them."""
    return phrase_matcher(language, topic_name, (category,))
