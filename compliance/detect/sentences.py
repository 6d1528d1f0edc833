"""What the sentences of a message say, for the rules about messages with nothing to say
and about critical types used for what is not critical.

Each sentence is read in its own language (compliance.detect.language). Taken out of it, in
this order: order, shipping and delivery confirmations, tracking phrases and delivery
estimates (confirmation.txt); thanks, offers of help and pleasantries (filler.txt); team
names, greetings and sign-offs; then numbers and references (an order or tracking number).
If nothing is left but function words (stopwords.txt) and the [neutral] words of those
topics, the sentence said nothing: it is a confirmation, filler or frame by what was taken
out. A sentence with more in it that gives general advice on using or caring for the
product (advice.txt: "a few tips", "wash it by hand", "never put it in the dishwasher"),
and says nothing required ("must", "otherwise", a hazard), is advice. Anything else carries
information, and the first such sentence ends the search. A sentence that names something
the order needs (critical.txt: a delay, damage, a missing detail, an appointment) always
carries information.

Advice is information for content.thank_you_only and content.shipping_confirmation (a
thank-you with care tips says something), but no critical content for type.important_misuse:
a message giving only advice is proactive support, whatever its subject says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from compliance.detect.language import LanguageMap
from compliance.detect.phrase_index import PhraseIndex
from compliance.detect.sentence_split import each_sentence, without_inner_stops
from compliance.detect.vocabulary import phrase_finder, phrase_matcher, phrase_pattern, word_set

FRAME, FILLER, CONFIRMATION, ADVICE, OTHER = "frame", "filler", "confirmation", "advice", "other"

# (topic, category, kind), longest clauses first: "thank you for your order" must go as
# thanks before "thank you" can go as a sign-off.
_REMOVED = (
    ("confirmation", "intro", CONFIRMATION),
    ("confirmation", "confirmation", CONFIRMATION),
    ("confirmation", "tracking", CONFIRMATION),
    ("confirmation", "eta", CONFIRMATION),
    ("filler", "aside", FRAME),
    ("filler", "thanks", FILLER),
    ("filler", "help", FILLER),
    ("filler", "pleasantry", FILLER),
    ("filler", "team", FRAME),
    ("filler", "greeting", FRAME),
    ("filler", "sign_off", FRAME),
)
_EDGES = " \t\r\f\v,;:'\"\u201c\u201d\u2018\u2019()[]*\u2022\u00b7-\u2013\u2014~_"
_HAS_WORD = re.compile(r"[a-z0-9]")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z]+")
# Order, tracking and reference numbers, amounts and dates: "#114-2", "1Z999AA1", "12/05".
_NUMBERISH = re.compile(r"#?[a-z]*\d[a-z0-9/:.,-]*")
_LONGEST_EMPTY_SENTENCE = 300  # longer sentences always say something


@dataclass(frozen=True)
class SentenceSummary:
    """What the sentences of a text are: only OTHER sentences carry information."""

    kinds: frozenset[str]
    first_filler: tuple[int, int] | None  # span of the first thanks / help sentence
    first_confirmation: tuple[int, int] | None

    @property
    def has_information(self) -> bool:
        return OTHER in self.kinds

    @property
    def only_thanks(self) -> bool:
        """Thanks or offers of help, perhaps with a greeting and a signature, and no more."""
        return FILLER in self.kinds and self.kinds <= {FRAME, FILLER}

    @property
    def only_confirmation(self) -> bool:
        """An order / shipping / delivery confirmation and nothing that says more."""
        return CONFIRMATION in self.kinds and self.kinds <= {FRAME, FILLER, CONFIRMATION}

    @property
    def only_advice(self) -> bool:
        """General advice on using or caring for the product, perhaps with thanks or a
        confirmation around it, and nothing the order needs."""
        return ADVICE in self.kinds and OTHER not in self.kinds


@lru_cache(maxsize=64)
def summarize_sentences(text: str, languages: LanguageMap) -> SentenceSummary:
    """Classify each sentence of normalized text; stops at the first informative one."""
    kinds: set[str] = set()
    first: dict[str, tuple[int, int]] = {}
    after_sign_off = False
    for sentence_start, sentence_end in each_sentence(text):
        piece = text[sentence_start:sentence_end]
        stripped = piece.strip(_EDGES)
        if not _HAS_WORD.search(stripped):
            continue
        start = sentence_start + piece.index(stripped)
        span = (start, start + len(stripped))
        # A sentence says nothing if it says nothing in any language it may be written in.
        kind, language = OTHER, languages.at(start)
        for reading in languages.readings(start):
            kind = _sentence_kind(stripped, reading)
            if kind != OTHER:
                language = reading
                break
        if kind == ADVICE and _is_question(text, stripped, sentence_end):
            kind = OTHER  # asking the buyer something: "shall we oil it for you?"
        if kind == OTHER and _is_signature(
            stripped, after_sign_off, not _HAS_WORD.search(text, sentence_end)
        ):
            kind = FRAME
        if phrase_pattern(language, "filler", ("sign_off",)).fullmatch(stripped):
            after_sign_off = True
        kinds.add(kind)
        first.setdefault(kind, span)
        if kind == OTHER:
            break
    return SentenceSummary(frozenset(kinds), first.get(FILLER), first.get(CONFIRMATION))


def _sentence_kind(sentence: str, language: str) -> str:
    """The kind of a sentence read whole, across the full stops inside it that end nothing
    ("M. Dupont", "z. B.", "am 10.06. um"); failing that, piece by piece between them, as a
    phrase may be written for either reading ("vom 10.06" ending a piece)."""
    kind = classify_sentence(without_inner_stops(sentence), language)
    if kind != OTHER or "." not in sentence:
        return kind
    kinds = set()
    for piece in sentence.split("."):
        stripped = piece.strip(_EDGES)
        if _HAS_WORD.search(stripped):
            kinds.add(classify_sentence(stripped, language))
    for kind in (OTHER, ADVICE, CONFIRMATION, FILLER):
        if kind in kinds:
            return kind
    return FRAME


def classify_sentence(sentence: str, language: str) -> str:
    """FRAME, FILLER, CONFIRMATION, ADVICE or OTHER, for one sentence of normalized text."""
    if len(sentence) > _LONGEST_EMPTY_SENTENCE:
        return OTHER
    purpose = phrase_finder(language, "critical", ("purpose",))
    if purpose is not None and purpose.found_within(sentence, 0, len(sentence)):
        return OTHER
    found: set[str] = set()
    rest = sentence
    for topic, category, kind in _REMOVED:
        hits = phrase_matcher(language, topic, (category,)).hits(rest)
        if hits:
            found.add(kind)
            rest = _cut(rest, hits)
    rest = _NUMBERISH.sub(" ", rest)
    if any(word not in _says_nothing(language) for word in _WORD.findall(rest)):
        return ADVICE if _gives_advice(sentence, language) else OTHER
    if CONFIRMATION in found:
        return CONFIRMATION
    if FILLER in found:
        return FILLER
    return FRAME  # greetings and sign-offs, or nothing but "OK"


# What makes a sentence more than advice (advice.txt): an obligation, a consequence or a
# hazard; a choice about the order.
_BEYOND_ADVICE = ("required", "choice")


def _gives_advice(sentence: str, language: str) -> bool:
    """Whether the sentence says how to use or care for the product, and nothing more: one
    search for every list, anything beyond advice outweighing it wherever it is."""
    found = {category for category, _start, _end in _advice(language).hits(sentence)}
    return "advice" in found and found.isdisjoint(_BEYOND_ADVICE)


@cache
def _advice(language: str) -> PhraseIndex:
    # The lists beyond advice first: where phrases of two lists start at the same word,
    # theirs wins.
    return phrase_matcher(language, "advice", (*_BEYOND_ADVICE, "advice"))


def _cut(text: str, hits: tuple[tuple[str, int, int], ...]) -> str:
    """The text with each hit replaced by a space (offsets need not hold any more)."""
    pieces, cursor = [], 0
    for _category, start, end in hits:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return " ".join(pieces)


@cache
def _says_nothing(language: str) -> frozenset[str]:
    """Words that are no information when a sentence has only them left."""
    return (
        word_set(language, "stopwords", "function")
        | word_set(language, "filler", "neutral")
        | word_set(language, "confirmation", "neutral")
    )


def _is_question(text: str, sentence: str, end: int) -> bool:
    """Whether a sentence is a question: it ends with "?" or opens with a Spanish "¿"."""
    return text.startswith("?", end) or "\u00bf" in sentence


def _is_signature(sentence: str, after_sign_off: bool, is_last: bool) -> bool:
    """A name or company line under a sign-off, or a lone name at the very end."""
    if _DIGIT.search(sentence):
        return False
    words = sentence.split()
    return (after_sign_off and len(words) <= 5) or (is_last and len(words) == 1)
