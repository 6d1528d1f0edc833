"""Undo the tricks people use to hide contact details, keeping track of where each
character came from so a match can be redacted in the original text.

Order matters: drop invisible characters, fold compatibility forms (fullwidth letters,
mathematical alphanumerics, circled digits), turn any Unicode decimal digit into 0-9,
lower-case, drop accents and other combining marks ("jáne", "ja\u0301ne" -> "jane"), spell
out the letters that have no decomposition ("ß" -> "ss", "œ" -> "oe"), and map look-alike
letters from other scripts, capital or small, to Latin (a table of the common ones, then
Unicode's confusables data through the confusable_homoglyphs package).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Zero-width, joiners, bidi controls and marks, soft hyphen, word joiner and friends.
INVISIBLE = frozenset(
    [
        0x00AD,
        0x034F,
        0x061C,
        0x115F,
        0x1160,
        0x17B4,
        0x17B5,
        0x180E,
        0x3164,
        0xFEFF,
        0xFFA0,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
        *range(0xFE00, 0xFE10),
    ]
)

# Letters from Cyrillic, Greek and other scripts that look like Latin ones, and look-alike
# at-signs and dots; written as escapes so the source itself shows no look-alikes.
_LOOKALIKES = (
    ("\u0430\u0432\u0435\u0451\u043a\u043c\u043d\u043e\u0440\u0441", "abeekmhopc"),
    ("\u0442\u0443\u0445\u0455\u0456\u0457\u0458\u0501\u051b\u051d", "tyxsiijdqw"),
    ("\u0261\u04bb\u04cf\u03bf\u03b1\u03b5\u03b9\u03ba\u03bd\u03c1", "ghloaeikvp"),
    ("\u03c4\u03c5\u03c7\u03b3\u03c9\u03b2\u2113\u0131\u0237\u0251", "tuxywblija"),
    ("\u0269\u026a\u029f\u0274\u1d0f\uab83\ua4f2\ua4f3\uff20\ufe6b", "iilnowio@@"),
    ("\u2024\u2027\u3002\uff61\ufe12\u2219\u22c5\u2022\u00b7", "........."),
)
CONFUSABLES = {
    src: dst for sources, targets in _LOOKALIKES for src, dst in zip(sources, targets, strict=True)
}


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Normalized:
    """Normalized text and, for each of its characters, the index it came from."""

    text: str
    origin: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that produced text[start:end]."""
        if start >= end:
            point = self.origin[start] if start < len(self.origin) else self._end
            return point, point
        return self.origin[start], self.origin[end - 1] + 1

    @property
    def _end(self) -> int:
        return (self.origin[-1] + 1) if self.origin else 0

    def __hash__(self) -> int:
        # A normalized text is a cache key (compliance.detect.language.language_map), and
        # hashing its origin, thousands of ints, would cost more than the lookup saves.
        # Equal objects have equal texts and origins, so they still hash alike.
        return hash((self.text, len(self.origin)))


# Combining marks: accents, and the marks that can be stacked on any letter to hide it.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


# Letters that no decomposition takes apart, spelled out the way people type them without
# the key ("Strasse", "coeur"), so words of every marketplace language fold to a-z.
_SPELLED_OUT = {
    "\u00df": "ss",
    "\u1e9e": "ss",
    "\u0153": "oe",
    "\u0152": "oe",
    "\u00e6": "ae",
    "\u00c6": "ae",
    "\u00f8": "o",
    "\u00d8": "o",
    "\u0142": "l",
    "\u0141": "l",
    "\u0111": "d",
    "\u0110": "d",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ord(ch) in INVISIBLE:
        return ""
    if ch in CONFUSABLES:
        return CONFUSABLES[ch]
    if ch in _SPELLED_OUT:
        return _SPELLED_OUT[ch]
    if ch.isascii():
        return ch.lower()
    out = []
    for part in unicodedata.normalize("NFKC", ch):
        if unicodedata.category(part) == "Nd":
            out.append(str(unicodedata.digit(part)))
            continue
        bare = _COMBINING.sub("", unicodedata.normalize("NFD", part.lower()))
        out.extend(CONFUSABLES.get(letter, _latin_lookalike(letter)) for letter in bare)
    return "".join(out)


def _latin_lookalike(letter: str) -> str:
    """A letter of another script that Unicode's confusables data lists as looking like a
    Latin letter or digit (the Armenian small letter oh, a Cherokee letter), as that
    character; anything else as it is. The table above covers the common ones without
    loading the data."""
    if letter.isascii() or not unicodedata.category(letter).startswith("L"):
        return letter
    from confusable_homoglyphs import confusables  # loaded only for such a letter

    for form in dict.fromkeys((letter, letter.upper())):
        found = confusables.is_confusable(form, greedy=True, preferred_aliases=["latin"])
        for entry in found or ():
            for homoglyph in entry["homoglyphs"]:
                latin = homoglyph["c"].lower()
                if len(latin) == 1 and latin.isascii() and latin.isalnum():
                    return latin
    return letter


# Offsets of an unchanged text are 0, 1, 2, ...: slicing one shared tuple copies pointers,
# where building tuple(range(n)) makes every int above 256 anew (most of normalizing 2 KB).
_IDENTITY_MAX = 1 << 14  # longer texts (rare) build their own
_IDENTITY = tuple(range(_IDENTITY_MAX))


def _identity(length: int) -> tuple[int, ...]:
    if length > _IDENTITY_MAX:
        return tuple(range(length))
    return _IDENTITY[:length]


def normalize(text: str) -> Normalized:
    """Fold the text for matching; see the module docstring for what is undone."""
    if text.isascii():
        # The common case: nothing to fold but case, and the offsets are the identity.
        return Normalized(text.lower(), _identity(len(text)))
    folds = {ch: _fold_char(ch) for ch in set(_NON_ASCII.findall(text))}
    if all(len(folded) == 1 for folded in folds.values()):
        # Curly quotes, dashes, accents, fullwidth forms: one character for one, so the
        # offsets stay the identity and each kind of character is replaced in one pass.
        for ch, folded in folds.items():
            if folded != ch:
                text = text.replace(ch, folded)
        return Normalized(text.lower(), _identity(len(text)))
    # Some characters vanish (zero-width) or expand (ligatures): fold run by run.
    chars: list[str] = []
    origin: list[int] = []
    cursor = 0
    for run in _NON_ASCII.finditer(text):
        start, end = run.span()
        if start > cursor:
            chars.append(text[cursor:start].lower())
            origin.extend(range(cursor, start))
        for index in range(start, end):
            folded = _fold_char(text[index])
            chars.append(folded)
            origin.extend([index] * len(folded))
        cursor = end
    if cursor < len(text):
        chars.append(text[cursor:].lower())
        origin.extend(range(cursor, len(text)))
    return Normalized("".join(chars), tuple(origin))
