"""Find phone numbers in normalized text: "+1 (555) 123-4567", "555.123.4567",
"5 5 5 1 2 3 4 5 6 7", "five five five, one two three four", "sechs fünf fünf ...",
"+44 20 7946 0958", "1-800-FLOWERS", "O2O 7946 O958", a number broken over two lines.

The text is first read the way a phone number is read (``phone_view``, one character for
one so offsets stay valid): every dash and minus sign is "-", every character that is a
digit in some script is that digit, and the letters O, I and l inside a group of digits are
the digits they stand in for. A cheap regex then finds runs of digit groups, and, for each
language of the message, runs of that language's digit words (compliance/vocab/<language>/
contact.txt); only runs with seven to fifteen digits reach the phonenumbers library, and
its answers are cached. Most of the work is in not mistaking order numbers, dates, prices,
tracking numbers and sizes for phone numbers: shapes and the words just before a run (the
[reference] and [call] words of the vocabularies) decide how much proof it needs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from compliance.detect.contact_words import ContactWords, contact_words, exclusive_digit_words
from compliance.detect.language import LanguageMap
from compliance.detect.vocabulary import languages

# ---- reading the text as a phone number ---------------------------------------------------

# The view holds no digits but ASCII ones (``phone_view`` reads every other digit as one), so
# the patterns that scan it write "[0-9]" rather than "\d": a range is a far cheaper test for
# the regex engine than the Unicode digit category, and they try every character of a text.

# Dashes, minus signs and long marks people put between digit groups.
_DASHES = frozenset(
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2796\u02d7\u2e3a\u2e3b\ufe58\ufe63"
    "\uff0d\u30fc\u2500\u2501\u23af\u2574\u2576\u00ad"
)
_SLASHES = frozenset("\u2215\u2044\u29f8\uff0f")
# A group of digits with O, I or l standing in for 0 and 1 ("O2O", "555-l234", "O6 l2 34"). A
# run read with such letters counts only on full proof (a valid number, a phone's shape or a
# call word before it), so "Intel i7 12700" stays a processor.
_LETTERED = re.compile(r"(?<![a-z0-9])[0-9oil]*(?:[0-9][oil]|[oil][0-9])[0-9oil]*(?![a-z0-9])")
_UNIT = re.compile(r"\d+l")  # "5l", "10l": litres
_LETTER_DIGITS = str.maketrans("oil", "011")


def _view_char(ch: str) -> str:
    if ch in _DASHES:
        return "-"
    if ch in _SLASHES:
        return "/"
    if ch == "\n":
        return ch
    if ch.isspace():
        return " "
    digit = unicodedata.digit(ch, None)
    return str(digit) if digit is not None else ch


def phone_view(text: str) -> str:
    """The normalized text as a phone number is read; same length, same offsets."""
    return _read(text)[0]


@lru_cache(maxsize=512)
def _read(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The view of a text (see ``phone_view``) and the spans of its stretches of digits
    (``_DIGIT_STRETCH``), most often found in one scan."""
    if not text.isascii():
        for ch in {ch for ch in text if not ch.isascii()}:
            read = _view_char(ch)
            if read != ch:
                text = text.replace(ch, read)  # one character for one: offsets stay
    stretches = []
    for match in _STRETCH_OR_LETTER.finditer(text):
        start, end = match.span()
        if end - start == 1 or (text[end - 1] in _ASCII_DIGITS and text[end : end + 1] in _OIL):
            break  # a digit beside O, I or l: read the letters, then look again
        stretches.append((start, end))
    else:
        return text, tuple(stretches)
    pieces, cursor = [], 0
    for match in _LETTERED.finditer(text):
        token = match.group(0)
        if _UNIT.fullmatch(token):
            continue
        pieces.append(text[cursor : match.start()])
        pieces.append(token.translate(_LETTER_DIGITS))
        cursor = match.end()
    if pieces:
        text = "".join(pieces) + text[cursor:]
    return text, tuple(match.span() for match in _DIGIT_STRETCH.finditer(text))


# Two questions about a view in one scan, as both would try every digit of it: a match of
# one character is a digit beside O, I or l (that needs the letters read as digits, which
# may join stretches up); a longer one is a stretch of ``_DIGIT_STRETCH``, starting where
# that pattern's would. The scan goes on after a stretch, so the digit that ends one is
# checked for a letter after it by hand; the digits inside one are between digits and
# separators.
_STRETCH_OR_LETTER = re.compile(
    r"[+(0-9](?:(?<=[oil][0-9])|(?<=[0-9])(?=[oil])|[0-9()\-./ \t\n,]{5,}[0-9]\)?)"
)
_ASCII_DIGITS = frozenset("0123456789")
_OIL = frozenset("oil")

# ---- runs of digits -------------------------------------------------------------------------

_DIGITS = r"\(?[0-9]+\)?"
_SEP = r"(?:[^\S\n]*[-./,][^\S\n]*|[^\S\n]+|(?<=\))|(?=\())"
# A number may go on after a line break (a <p> or <br> between its groups, or Enter).
_BREAK = r"(?:[^\S\n]*-?[^\S\n]*\n){1,2}[^\S\n]*"
# Atomic: a run is taken whole or not at all, never trimmed to fit (an order number's
# first ten digits are not a phone number).
_AROUND = (r"(?<![\w+])(?>(?:\+[^\S\n]*)?", r")(?!\w|:\d)")
_DIGIT_RUN = re.compile(rf"{_AROUND[0]}{_DIGITS}(?:(?:{_SEP}|{_BREAK}){_DIGITS})*{_AROUND[1]}")
# Cheap first pass: somewhere seven characters of digits and separators; only their
# surroundings get the full pattern.
_DIGIT_STRETCH = re.compile(r"[+(0-9][0-9()\-./ \t\n,]{5,}[0-9]\)?")
_BREAK_SPLIT = re.compile(_BREAK)
_NOT_DIGIT = re.compile(r"\D")
_GROUP = re.compile(r"\d+")
_LETTER = re.compile(r"[a-z]")
# A comma between two numbers is a list ("sizes 2, 3, 4"), not part of one number.
_LIST_COMMA = re.compile(r"(?<=\d)[^\S\n]*,[^\S\n]*(?=\d)")
# A date at either end of a run: "2026-11-24", "11/24/2026", "24.11.2026 10" (before 10:30).
_DATE_SHAPE = r"(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2}))"
_DATE_AT_START = re.compile(rf"{_DATE_SHAPE}(?!\d)")
_DATE_AT_END = re.compile(rf"(?<!\d){_DATE_SHAPE}\Z")
_DATE_PARTS = re.compile(r"\d+")
# "9.30-12.30", "10:00 - 18:00": opening hours.
_TIME_RANGE = re.compile(r"\d{1,2}[.:]\d{2}(?:[^\S\n]*-[^\S\n]*\d{1,2}[.:]\d{2})+")
# Letters joined to the run by a dash or slash: the run is the rest of a code.
_CODE_PREFIX = re.compile(r"(?<![a-z0-9])[a-z]{1,8}[-/]\Z")
_NANP = re.compile(r"(?:\+?1[^\S\n]*[-.]?[^\S\n]*)?(?:\(\d{3}\)[^\S\n]*|\d{3}[-. ])\d{3}[-. ]\d{4}")
_CURRENCY_BEFORE = re.compile(
    r"(?:[$€£¥₹¢]|(?<![a-z])(?:eur|euro|euros|usd|gbp|chf|dollars?|pounds?))[^\S\n]*\Z"
)
_CURRENCY_AFTER = re.compile(
    r"[^\S\n]*(?:[$€£¥₹¢]|(?:eur|euro|euros|usd|gbp|chf|dollars?|pounds?)(?![a-z]))"
)

# ---- vanity numbers ---------------------------------------------------------------------------

# "1-800-FLOWERS", "(888) GOT-JUNK", "1 800 CONTACTS": a North American toll-free code and
# seven or more letters and digits, some of them letters.
_VANITY = re.compile(
    r"(?<![\w+])(?P<one>\+?1[^\S\n]*[-. ]?[^\S\n]*)?(?P<area>\(8(?:00|33|44|55|66|77|88)\)"
    r"|8(?:00|33|44|55|66|77|88))(?P<sep>[^\S\n]*[-. ][^\S\n]*|)"
    r"(?P<tail>[a-z0-9]+(?:[-.][a-z0-9]+){0,2})(?![\w@])"
)
_VANITY_HINT = re.compile(r"8(?:00|33|44|55|66|77|88)")


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


_ENGLISH = LanguageMap("en")


@lru_cache(maxsize=512)
def find_phones(
    text: str, regions: tuple[str, ...], language_map: LanguageMap | None = None
) -> tuple[PhoneRun, ...]:
    """Runs of text (already normalized) that may be phone numbers, with how sure we are.

    ``language_map`` says which language each part of the text is in: a language's digit
    words are read only there (English everywhere when it is not given)."""
    language_map = language_map or _ENGLISH
    view, stretches = _read(text)
    found: list[PhoneRun] = []
    for language, start, end in _spelled_runs(view, language_map):
        if any(run.start < end and start < run.end for run in found):
            continue  # the same run read in another language ("six" is English and French)
        words = contact_words(language)
        for piece_start, piece_end in _pieces(view, start, end):
            proof = _judge(view, piece_start, piece_end, regions, words)
            if proof:
                found.append(PhoneRun(piece_start, piece_end, proof))
    taken = [(run.start, run.end) for run in found]
    for start, end in _digit_runs(view, stretches):
        if end - start < 7 or any(lo < end and start < hi for lo, hi in taken):
            continue  # fewer than seven characters cannot hold seven digits
        for piece_start, piece_end in _pieces(view, start, end):
            for lo, hi in _lines(view, piece_start, piece_end, regions):
                proof = _judge(view, lo, hi, regions, None)
                if proof:
                    found.append(PhoneRun(lo, hi, proof))
    if _VANITY_HINT.search(view):
        for start, end in _vanity(view):
            if not any(run.start < end and start < run.end for run in found):
                found.append(PhoneRun(start, end, Proof.PHONE))
    return tuple(sorted(found, key=lambda run: run.start))


def _digit_runs(view: str, stretches: tuple[tuple[int, int], ...]) -> Iterator[tuple[int, int]]:
    cursor = 0
    for stretch_start, stretch_end in stretches:
        # Two characters past the stretch, for the lookahead that rejects "10:30".
        for run in _DIGIT_RUN.finditer(view, max(cursor, stretch_start), stretch_end + 2):
            cursor = run.end()
            yield run.start(), run.end()


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if "," not in text[start:end]:
        return [(start, end)]
    pieces, cursor = [], start
    for comma in _LIST_COMMA.finditer(text, start, end):
        pieces.append((cursor, comma.start()))
        cursor = comma.end()
    pieces.append((cursor, end))
    return pieces


def _lines(view: str, start: int, end: int, regions: tuple[str, ...]) -> list[tuple[int, int]]:
    """A run over line breaks is one number when, read whole, it proves to be one and each
    line holds only digit groups (no prices or dates); otherwise each line is its own run."""
    if "\n" not in view[start:end]:
        return [(start, end)]
    breaks = list(_BREAK_SPLIT.finditer(view, start, end))
    lines, cursor = [], start
    for found in breaks:
        lines.append((cursor, found.start()))
        cursor = found.end()
    lines.append((cursor, end))
    whole = all(
        not any(mark in view[lo:hi] for mark in ".,") and _GROUP.search(view, lo, hi)
        for lo, hi in lines
    )
    if whole and len(lines) <= 4 and _judge(view, start, end, regions, None) == Proof.PHONE:
        return [(start, end)]
    return lines


# ---- runs of digit words, per language ---------------------------------------------------------


@dataclass(frozen=True)
class _Spelled:
    """One language's patterns for numbers written in words."""

    pair: re.Pattern[str]  # two number words in a row, searched in " " + text
    run: re.Pattern[str]  # a run of digits and number words
    token: re.Pattern[str]  # one token of a run
    parts: re.Pattern[str]  # a number-word token taken apart


_WORD_GAP = r"[^\S\n]*-?[^\S\n]*"  # between the parts of "trente-quatre", "vingt et un"


@cache
def _spelled_patterns(language: str) -> _Spelled:
    words = contact_words(language)
    units, teens, tens, joiner = words.units, words.teens, words.tens, words.joiner
    # Below a hundred: "vierunddreißig", "soixante-dix-huit" (60 + 18), "vingt et un",
    # "ventitré", "douze", "five".
    below_hundred = (
        rf"(?:(?:{units}){_WORD_GAP}(?:{joiner}){_WORD_GAP}(?:{tens})"
        rf"|(?:{tens})(?:{_WORD_GAP}(?:(?:{joiner}){_WORD_GAP})?(?:{teens}|{units}))?"
        rf"|(?:{teens})|(?:{units}))"
    )
    # "cent vingt-trois", "trecentoquaranta", "dreihundertzwölf", "doscientos": one token of
    # three digits.
    hundreds = (
        rf"(?:(?:{units}){_WORD_GAP})?(?:{words.hundreds})"
        rf"(?:{_WORD_GAP}(?:(?:{joiner}){_WORD_GAP})?{below_hundred})?"
    )
    # Each of these, and "double five", is one token.
    number = (
        rf"(?:{hundreds}"
        rf"|(?:{units}){_WORD_GAP}(?:{joiner}){_WORD_GAP}(?:{tens})"
        rf"|(?:{tens})(?:{_WORD_GAP}(?:(?:{joiner}){_WORD_GAP})?(?:{teens}|{units}))?"
        rf"|(?:{teens})|(?:(?:{words.multipliers})[^\S\n]+)?(?:{units}))(?![a-z])"
    )
    # A number word, or a compound holding a hundred ("trecentoquaranta", "seiscientos").
    word = rf"(?:(?:{words.number_words})(?![a-z])|{hundreds}(?![a-z]))"
    token = rf"(?:{_DIGITS}|{number})"
    return _Spelled(
        pair=re.compile(
            rf"[^a-z0-9](?:(?:{words.multipliers})[^\S\n]+)?{word}[^\S\n]*[ ,.\-][^\S\n]*"
            rf"(?:{word}|\d)"
        ),
        run=re.compile(rf"{_AROUND[0]}{token}(?:{_SEP}{token})*{_AROUND[1]}"),
        token=re.compile(rf"\d+|{number}"),
        parts=re.compile(
            rf"(?P<times_hundred>{units})?{_WORD_GAP}(?P<hundred>{words.hundreds})"
            rf"(?:{_WORD_GAP}(?:(?:{joiner}){_WORD_GAP})?(?P<after_hundred>{below_hundred}))?"
            rf"|(?P<unit_first>{units}){_WORD_GAP}(?:{joiner}){_WORD_GAP}(?P<tens_after>{tens})"
            rf"|(?P<tens>{tens})(?:{_WORD_GAP}(?:(?:{joiner}){_WORD_GAP})?"
            rf"(?P<rest>{teens}|{units}))?"
            rf"|(?P<teen>{teens})|(?:(?P<times>{words.multipliers})[^\S\n]+)?(?P<unit>{units})"
        ),
    )


@cache
def _any_pair(
    candidates: tuple[str, ...],
) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Two digit words of these languages in a row, searched in " " + text: the cheap test
    that a text may hold a spelled-out number at all. Three patterns: a hundred word, the
    test without compounds, the test with them; the first says which of the others to use."""
    every = "|".join(contact_words(language).number_words for language in candidates)
    hundreds = "|".join(contact_words(language).hundreds for language in candidates)
    plain = rf"(?:(?:{every})(?![a-z]))"
    # A compound with a hundred in it counts as a number word here ("trecentoquaranta").
    # Tried at every word, "[a-z]*" costs a third of the test; it cannot match in a text
    # without a hundred word, and one search for those is almost free.
    compound = rf"(?:(?:{every})(?![a-z])|[a-z]*(?:{hundreds})[a-z]*)"
    return re.compile(hundreds), _pair_of(plain), _pair_of(compound)


def _pair_of(word: str) -> re.Pattern[str]:
    return re.compile(rf"[^a-z0-9]{word}[^\S\n]*[ ,.\-][^\S\n]*(?:{word}|\d)")


# Below this length language detection may well be wrong ("Ruf an: sechs fünf ..." read as
# English): every language's digit words are tried, each run judged by its own words.
_SHORT_TEXT = 400


_RUN_CHARS = frozenset("0123456789()-./ ,+")
_PARTS = re.compile(r"[\s-]+")


def _spelled_runs(view: str, language_map: LanguageMap) -> Iterator[tuple[str, int, int]]:
    """(language, start, end) of each run with two or more digit words of one language that
    is written in that language, or whose words could only be that language's."""
    padded = " " + view  # a pair match starts on the character before its first word
    candidates = languages() if len(view) < _SHORT_TEXT else language_map.found
    hundred, plain, compound = _any_pair(candidates)
    if not (compound if hundred.search(padded) else plain).search(padded):
        return
    for language in candidates:
        spelled = _spelled_patterns(language)
        found = language in language_map.found
        exclusive = exclusive_digit_words(language)
        cursor = 0
        for hit in spelled.pair.finditer(padded):
            start = hit.start()  # the first word's offset in view
            if start < cursor:
                continue
            while start > cursor and view[start - 1] in _RUN_CHARS:
                start -= 1  # digits before the words belong to the run: "555 five five"
            line_end = view.find("\n", hit.end())
            runs = spelled.run.finditer(view, start, line_end if line_end >= 0 else len(view))
            run = next((each for each in runs if each.end() > hit.start()), None)
            if run is None:
                continue
            cursor = run.end()
            words = [t for t in spelled.token.findall(run.group(0)) if not t.isdigit()]
            if len(words) < 2:
                continue
            own = found and language_map.covers(language, run.start())
            theirs = sum(any(part in exclusive for part in _PARTS.split(word)) for word in words)
            if own or theirs >= 4:
                yield language, run.start(), run.end()


# ---- judging a run ------------------------------------------------------------------------------


def _judge(
    text: str,
    start: int,
    end: int,
    regions: tuple[str, ...],
    words: ContactWords | None,
) -> Proof:
    piece = text[start:end]
    if words is None or not _LETTER.search(piece):  # the common case: digits only
        digits = _NOT_DIGIT.sub("", piece)
        if not 7 <= len(digits) <= 15:
            return Proof.NONE  # most runs end here: prices, dates, order numbers
        tokens = _GROUP.findall(piece)
    else:
        patterns = _spelled_patterns(words.language)
        tokens = patterns.token.findall(piece)
        digits = "".join(_digits_of(token, words, patterns) for token in tokens)
        if not 7 <= len(digits) <= 15:
            return Proof.NONE
    spelled = sum(1 for token in tokens if not token.isdigit())
    groups = [len(token) for token in tokens if token.isdigit()]
    spaced_out = len(tokens) >= 7 and all(size == 1 for size in groups)
    before = text[max(0, start - 50) : start]
    plus = piece.startswith("+")
    if plus:
        return _proof(digits, True, (), strong=True)
    disguised = spelled >= 2 or spaced_out
    if not disguised:
        if any(size == 1 for size in groups[2:]):
            return Proof.NONE  # "sizes 6 7 8 9 10 11"
        paired = len(groups) >= 4 and all(size == 2 for size in groups)  # "06.12.34.56.78"
        bare = piece.strip("()")  # "(12.06.2026)": a date in brackets
        if not paired and _dated(bare, len(groups), _call_before(before)):
            return Proof.NONE  # "11/24/2026", "2026-11-24 10" (before ":30")
        if _TIME_RANGE.fullmatch(piece):
            return Proof.NONE  # "9.30-12.30"
        if _CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.match(text, end):
            return Proof.NONE  # "$ 1 299 000", "1 299 000 EUR"
        if _reference_before(before):
            return Proof.NONE  # "order 114-3941689", "Rechnungsnummer: ...", "RMA 2026-..."
        if _CODE_PREFIX.search(before) and not _call_before(before):
            return Proof.NONE  # "FA-2026-004471", "CMD-114-3941689": a code, not a number
    strong = disguised or "(" in piece or bool(_NANP.fullmatch(piece)) or _call_before(before)
    return _proof(digits, False, regions, strong)


def _dated(bare: str, groups: int, called: bool) -> bool:
    """Whether a run starts or ends with a date: a date's shape holding a day and a month
    ("612-34-56-78" ends in "34-56-78", which is no date). After a call word, a run that
    goes on for two groups past a date at its start is a number ("Tel. 6-12-34-56-78")."""
    start = _DATE_AT_START.match(bare)
    if start and _calendar(start.group()) and not (called and groups >= 5):
        return True
    end = _DATE_AT_END.search(bare)
    return bool(end and _calendar(end.group()))


def _calendar(date: str) -> bool:
    """Whether "2026-11-24", "24.11.2026" or "11/24/26" names a day of a month, read as
    year-month-day, day-month-year or month-day-year."""
    first, second, third = (int(part) for part in _DATE_PARTS.findall(date))
    if first > 31:  # a year first
        return 1 <= second <= 12 and 1 <= third <= 31
    day_month = 1 <= first <= 31 and 1 <= second <= 12
    month_day = 1 <= first <= 12 and 1 <= second <= 31
    return day_month or month_day


def _reference_before(before: str) -> bool:
    """A [reference] word of any language right before: taking an order number for a phone
    is the worse mistake, and "RMA", "Bestellnummer", "n° de commande" say what they are
    even in a message whose language was misread."""
    return bool(_every_language("reference", r"[^\w\n]{0,4}\Z").search(" " + before))


def _call_before(before: str) -> bool:
    """A [call] word of any language shortly before ("Tel.", "ruf mich an", "llámame"): only
    a stronger proof, so the words of every language serve."""
    return bool(_every_language("call", "(?![a-z0-9])").search(" " + before))


@cache
def _every_language(category: str, after: str) -> re.Pattern[str]:
    """A category's words of every language, each from the start of a word (the pattern
    starts on the character before it: search " " + text), then ``after``."""
    groups = "|".join(getattr(contact_words(language), category) for language in languages())
    return re.compile(rf"[^a-z0-9](?:{groups}){after}")


def _digits_of(token: str, words: ContactWords, spelled: _Spelled) -> str:
    """The digits a token stands for: "5" "5", "double five" "55", "douze" "12",
    "soixante-dix-huit" "78", "vierunddreißig" "34"."""
    if token.isdigit():
        return token
    parts = spelled.parts.fullmatch(token)
    if parts is None:
        return ""
    value = words.value_of
    if parts.group("hundred") is not None:
        hundred = value(parts.group("hundred"))
        times = value(parts.group("times_hundred")) if parts.group("times_hundred") else 1
        after = parts.group("after_hundred")
        rest = _digits_of(after, words, spelled) if after else "0"
        if hundred is None or times is None or not rest:
            return ""
        return str(hundred * times + int(rest))
    if parts.group("unit") is not None:
        digit = value(parts.group("unit"))
        times = words.multiplier_of(parts.group("times")) if parts.group("times") else 1
        return "" if digit is None else str(digit) * times
    if parts.group("teen") is not None:
        return str(value(parts.group("teen")) or "")
    if parts.group("unit_first") is not None:
        tens, unit = value(parts.group("tens_after")), value(parts.group("unit_first"))
    else:
        tens, rest = value(parts.group("tens")), parts.group("rest")
        unit = value(rest) if rest is not None else 0
    return "" if tens is None or unit is None else str(tens + unit)


def _vanity(view: str) -> Iterator[tuple[int, int]]:
    for match in _VANITY.finditer(view):
        tail = match.group("tail")
        chars = [ch for ch in tail if ch.isalnum()]
        letters = sum(ch.isalpha() for ch in chars)
        if not 7 <= len(chars) <= 10 or letters < 3:
            continue
        written = bool(match.group("one")) or "-" in match.group("sep") or "(" in match.group(0)
        if written or _call_before(view[max(0, match.start() - 50) : match.start()]):
            yield match.start(), match.end()


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
