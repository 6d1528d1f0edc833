"""Where the sentences of a normalized text begin and end.

A sentence ends at "!", "?", a line break, or a full stop followed by a space or the end of
the text. A full stop inside a word or number ("3.5", "example.com") ends nothing, and
neither does one after an abbreviation ("z. B.", "M. Dupont", "Nr. 5", "Sr. López") or in a
date ("am 17.06. liefern wir"): read there, the pieces on either side would each look like a
sentence of its own, and a rule that asks what a sentence says would read half of one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

# Candidate ends: "!", "?", a line break, or a "." not followed by a letter or digit.
_END = re.compile(r"[!?\n]|\.(?![a-z0-9])")
# Short words that are written with a full stop in the five languages: titles, "number",
# "street", "for example", "about", "page". A single letter ("z. B.", "M.", "e. g.") is one
# too. "etc." is left out: it usually ends a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "nr",
        "str",
        "tel",
        "fax",
        "ca",
        "bzw",
        "ggf",
        "inkl",
        "evtl",
        "usw",
        "vgl",
        "abs",
        "hr",
        "fr",
        "frau",
        "herr",
        "mme",
        "mlle",
        "env",
        "cf",
        "sr",
        "sra",
        "srta",
        "sres",
        "dto",
        "pag",
        "dott",
        "sig",
        "sigg",
        "ing",
        "avv",
        "geb",
        "ref",
        "approx",
    ]
)
_WORD_BEFORE = re.compile(r"([a-z]+)$")
_DATE_BEFORE = re.compile(r"(?<![0-9])[0-9]{1,2}\.[0-9]{1,2}$")


def _ends_sentence(text: str, position: int) -> bool:
    if text[position] != ".":
        return True
    before = text[max(0, position - 12) : position]
    word = _WORD_BEFORE.search(before)
    if word is not None and (len(word.group(1)) == 1 or word.group(1) in _ABBREVIATIONS):
        return False
    return _DATE_BEFORE.search(before) is None


@lru_cache(maxsize=64)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence, ends not included; pieces with nothing in them too."""
    return tuple(each_sentence(text))


def each_sentence(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``sentence_spans`` one by one, for a reader that may stop early."""
    start = 0
    for match in _END.finditer(text):
        if _ends_sentence(text, match.start()):
            if match.start() > start:
                yield start, match.start()
            start = match.end()
    if start < len(text):
        yield start, len(text)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end] (from the start of the sentence holding
    ``start`` to the end of the one holding ``end``)."""
    spans = sentence_spans(text)
    if not spans:
        return 0, len(text)
    first = max(0, bisect_left(spans, (start + 1,)) - 1)
    last = max(first, bisect_left(spans, (end,)) - 1)
    lo = spans[first][0] if spans[first][0] <= start else start
    hi = spans[last][1] if spans[last][1] >= end else end
    return lo, hi


def sentence_index(spans: tuple[tuple[int, int], ...], position: int) -> int:
    """The index of the sentence holding ``position`` (or the one before it)."""
    return max(0, bisect_left(spans, (position + 1,)) - 1)


_INNER_STOP = re.compile(r"\.(?=\s)")


def without_inner_stops(sentence: str) -> str:
    """The sentence with the full stops that end no sentence taken out ("z. b." -> "z b",
    "m. dupont" -> "m dupont", "am 10.06. um" -> "am 10.06 um"), so that phrases written
    word by word read across them. Offsets stay put only up to the first one removed."""
    return _INNER_STOP.sub("", sentence)
