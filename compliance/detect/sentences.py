"""What the sentences of a message say, for the rules about messages with nothing to say.

A sentence is matched whole against runs of clauses from compliance.detect.lexicon:
greetings and sign-offs ("frame"), thanks and general offers of help ("filler"), and order,
shipment and delivery confirmations ("confirmation"). Any sentence that is not made of them
only is information ("other"), and the first one ends the search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from compliance.detect import lexicon as lx
from compliance.detect.phrases import alternation, expand, spread


def _sequence(clauses: Iterable[str]) -> re.Pattern[str]:
    """A whole sentence made of these clauses, one after another."""
    clause = alternation([part for c in clauses for part in spread(expand(c))])
    return re.compile(f"{clause}(?:{lx.CLAUSE_SEPARATOR}{clause})*")


_SIGNED = r",?(?: " + lx.WORD + r"){0,4}"  # a sign-off may carry the sender's name
_FRAME_CLAUSES = (lx.GREETING, lx.TEAM, lx.SIGN_OFF_REGARDS + _SIGNED)
_FILLER_CLAUSES = (*_FRAME_CLAUSES, lx.SIGN_OFF_THANKS + _SIGNED, *lx.FILLER_CLAUSES)
_FRAME = _sequence(_FRAME_CLAUSES)
_SIGN_OFF = re.compile(expand(f"(?:{lx.SIGN_OFF_REGARDS}|{lx.SIGN_OFF_THANKS})"))
_FILLER = _sequence(_FILLER_CLAUSES)
_CONFIRMATION = _sequence((*_FILLER_CLAUSES, *lx.CONFIRMATION_CLAUSES))
_SENTENCE = re.compile(r"[^.!?\n]+")
_EDGES = " \t\r\f\v,;:'\"\u201c\u201d\u2018\u2019()[]*\u2022\u00b7-\u2013\u2014~_"
_HAS_WORD = re.compile(r"[a-z0-9]")
_DIGIT = re.compile(r"\d")

FRAME, FILLER, CONFIRMATION, OTHER = "frame", "filler", "confirmation", "other"
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
        return CONFIRMATION in self.kinds and OTHER not in self.kinds


@lru_cache(maxsize=64)
def summarize_sentences(text: str) -> SentenceSummary:
    """Classify each sentence of normalized text; stops at the first informative one."""
    kinds: set[str] = set()
    first: dict[str, tuple[int, int]] = {}
    after_sign_off = False
    for sentence in _SENTENCE.finditer(text):
        piece = sentence.group(0)
        stripped = piece.strip(_EDGES)
        if not _HAS_WORD.search(stripped):
            continue
        start = sentence.start() + piece.index(stripped)
        span = (start, start + len(stripped))
        kind = _classify(stripped)
        if kind == OTHER and _is_signature(
            stripped, after_sign_off, not _HAS_WORD.search(text, sentence.end())
        ):
            kind = FRAME
        if _SIGN_OFF.fullmatch(stripped):
            after_sign_off = True
        kinds.add(kind)
        first.setdefault(kind, span)
        if kind == OTHER:
            break
    return SentenceSummary(frozenset(kinds), first.get(FILLER), first.get(CONFIRMATION))


def _classify(sentence: str) -> str:
    # Most sentences say something, so try the widest pattern first and stop there.
    if len(sentence) > _LONGEST_EMPTY_SENTENCE or not _CONFIRMATION.fullmatch(sentence):
        return OTHER
    if _FRAME.fullmatch(sentence):
        return FRAME
    if _FILLER.fullmatch(sentence):
        return FILLER
    return CONFIRMATION


def _is_signature(sentence: str, after_sign_off: bool, is_last: bool) -> bool:
    """A name or company line under a sign-off, or a lone name at the very end."""
    if _DIGIT.search(sentence):
        return False
    words = sentence.split()
    return (after_sign_off and len(words) <= 5) or (is_last and len(words) == 1)
