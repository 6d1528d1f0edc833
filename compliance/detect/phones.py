"""Find phone numbers in normalized text: "+1 (555) 123-4567", "555.123.4567",
"5 5 5 1 2 3 4 5 6 7", "five five five, one two three four", "+44 20 7946 0958".

A cheap regex finds runs of digit groups and spelled-out digits; only runs with seven to
fifteen digits reach the phonenumbers library, and its answers are cached. Most of the
work is in not mistaking order numbers, dates, prices, tracking numbers and sizes for
phone numbers: shapes and the words just before a run decide how much proof it needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_WORD = "|".join(_WORDS)
_DIGITS = r"\(?\d+\)?"
_TOKEN = rf"(?:{_DIGITS}|\b(?:(?:double|triple)[^\S\n]+)?(?:{_WORD})\b)"
_SEP = r"(?:[^\S\n]*[-.,/\u2010-\u2015][^\S\n]*|[^\S\n]+|(?<=\))|(?=\())"
# Atomic: a run is taken whole or not at all, never trimmed to fit (an order number's
# first ten digits are not a phone number).
_AROUND = (r"(?<![\w+])(?>(?:\+[^\S\n]*)?", r")(?!\w|:\d)")
_DIGIT_RUN = re.compile(rf"{_AROUND[0]}{_DIGITS}(?:{_SEP}{_DIGITS})*{_AROUND[1]}")
_MIXED_RUN = re.compile(rf"{_AROUND[0]}{_TOKEN}(?:{_SEP}{_TOKEN})*{_AROUND[1]}")
# Cheap first passes: somewhere seven characters of digits and separators, or two digit
# words in a row ("five five", "one, 2"); only their surroundings get the full patterns.
_DIGIT_STRETCH = re.compile(r"[+(\d][\d()\-./ \t,\u2010-\u2015]{5,}\d\)?")
_SPELLED_PAIR = re.compile(rf"[\s,\-(:](?:{_WORD})[ ,.\-]+(?:{_WORD}|\d)")
_NOT_DIGIT = re.compile(r"\D")
_GROUP = re.compile(r"\d+")
_LETTER = re.compile(r"[a-z]")
_PIECE_TOKEN = re.compile(rf"\d+|(?:double|triple)[^\S\n]+(?:{_WORD})|{_WORD}")
# A comma between two numbers is a list ("sizes 2, 3, 4"), not part of one number.
_LIST_COMMA = re.compile(r"(?<=\d)[^\S\n]*,[^\S\n]*(?=\d)")
# A date at either end of a run: "2026-11-24", "11/24/2026", "24.11.2026 10" (before 10:30).
_DATE_SHAPE = r"(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2}))"
_DATE_AT_START = re.compile(rf"{_DATE_SHAPE}(?!\d)")
_DATE_AT_END = re.compile(rf"(?<!\d){_DATE_SHAPE}\Z")
_NANP = re.compile(r"(?:\+?1[^\S\n]*[-.]?[^\S\n]*)?(?:\(\d{3}\)[^\S\n]*|\d{3}[-. ])\d{3}[-. ]\d{4}")
# Words right before a number that say it is something else.
_NOT_A_PHONE_BEFORE = re.compile(
    r"\b(?:order|tracking|track|invoice|ref|reference|po|sku|item|model|part|serial|asin|isbn|"
    r"upc|ean|gtin|account|acct|confirmation|case|ticket|transaction|receipt|batch|lot|iban|"
    r"routing|zip|postcode|postal|size|sizes|qty|quantity|dimensions)"
    r"\b[^\w\n]{0,3}(?:(?:number|no|num|nr|id|code)\b\.?)?[^\w\n]{0,3}(?:is[^\S\n]+)?\Z"
)
_PHONE_WORDS_BEFORE = re.compile(
    r"\b(?:call|calls|calling|phone|tel|telephone|mobile|cell|cellphone|text|sms|whatsapp|"
    r"viber|signal|telegram|wechat|dial|ring|fax|my number|reach me|contact me)\b"
)
_CURRENCY = frozenset("$€£¥₹¢")


class Proof(IntEnum):
    """How sure a run is a phone number."""

    NONE = 0
    POSSIBLE = 1  # the right length for a number somewhere: counts only if disguised
    PHONE = 2


@dataclass(frozen=True)
class PhoneRun:
    start: int
    end: int
    proof: Proof


@lru_cache(maxsize=512)
def find_phones(text: str, regions: tuple[str, ...]) -> tuple[PhoneRun, ...]:
    """Runs of text (already normalized) that may be phone numbers, with how sure we are."""
    found: list[PhoneRun] = []
    for run in _runs(text):
        if run.end() - run.start() < 7:
            continue  # fewer than seven characters cannot hold seven digits
        for start, end in _pieces(text, run.start(), run.end()):
            proof = _judge(text, start, end, regions)
            if proof:
                found.append(PhoneRun(start, end, proof))
    return tuple(found)


def _runs(text: str) -> Iterator[re.Match[str]]:
    if _SPELLED_PAIR.search(text) or _SPELLED_PAIR.match(" " + text[:16]):
        yield from _MIXED_RUN.finditer(text)
        return
    for stretch in _DIGIT_STRETCH.finditer(text):
        # Two characters past the stretch, for the lookahead that rejects "10:30".
        yield from _DIGIT_RUN.finditer(text, stretch.start(), stretch.end() + 2)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for comma in _LIST_COMMA.finditer(text, start, end):
        pieces.append((cursor, comma.start()))
        cursor = comma.end()
    pieces.append((cursor, end))
    return pieces


def _judge(text: str, start: int, end: int, regions: tuple[str, ...]) -> Proof:
    piece = text[start:end]
    if piece.isdigit() or not _LETTER.search(piece):  # the common case: digits only
        digits = _NOT_DIGIT.sub("", piece)
        if not 7 <= len(digits) <= 15:
            return Proof.NONE  # most runs end here: prices, dates, order numbers
        tokens = _GROUP.findall(piece)
    else:
        tokens = _PIECE_TOKEN.findall(piece)
        digits = "".join(_digits_of(token) for token in tokens)
        if not 7 <= len(digits) <= 15:
            return Proof.NONE
    words = sum(1 for token in tokens if not token.isdigit())
    groups = [len(token) for token in tokens if token.isdigit()]
    spaced_out = len(tokens) >= 7 and all(size == 1 for size in groups)
    before = text[max(0, start - 40) : start]
    plus = piece.startswith("+")
    if plus:
        return _proof(digits, True, (), strong=True)
    disguised = words >= 2 or spaced_out
    if not disguised:
        if any(size == 1 for size in groups[2:]):
            return Proof.NONE  # "sizes 6 7 8 9 10 11"
        if _DATE_AT_START.match(piece) or _DATE_AT_END.search(piece):
            return Proof.NONE  # "11/24/2026", "2026-11-24 10" (before ":30")
        if _NOT_A_PHONE_BEFORE.search(before) or before.rstrip()[-1:] in _CURRENCY:
            return Proof.NONE  # "order 114-3941689", "tracking number: ...", "$ 1 299 000"
    strong = (
        disguised
        or "(" in piece
        or bool(_NANP.fullmatch(piece))
        or bool(_PHONE_WORDS_BEFORE.search(before))
    )
    return _proof(digits, False, regions, strong)


def _digits_of(token: str) -> str:
    if token.isdigit():
        return token
    parts = token.split()
    digit = _WORDS[parts[-1]]
    return digit * {"double": 2, "triple": 3}.get(parts[0], 1)


@lru_cache(maxsize=2048)
def _proof(digits: str, plus: bool, regions: tuple[str, ...], strong: bool) -> Proof:
    """What phonenumbers says about digits: valid, possible, or not a number."""
    candidates = [("+" + digits, None)] if plus else [(digits, region) for region in regions]
    possible = False
    for candidate, region in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and _written_as_local(digits, region, number):
            return Proof.PHONE
        possible = possible or phonenumbers.is_possible_number(number)
    if possible:
        return Proof.PHONE if strong else Proof.POSSIBLE
    return Proof.NONE


def _written_as_local(digits: str, region: str | None, number: phonenumbers.PhoneNumber) -> bool:
    """Whether a number is written the way people in region write their own numbers.

    Where national numbers start with a trunk "0" (UK, Germany, France, Japan), a run without
    it is only believed for ten-digit mobiles (as India writes them): German numbering
    accepts almost any seven digits, and "2345678" in a message is not a phone number.
    """
    if region is None or digits.startswith("0"):
        return True
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix != "0":
        return True
    kind = phonenumbers.number_type(number)
    return len(digits) >= 10 and kind in {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
