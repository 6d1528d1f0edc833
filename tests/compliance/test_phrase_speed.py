"""Rewrites that make the compiled phrases cheaper to search without changing what they
find: possessive runs, look-behinds checked after a phrase's plain start, searching a
stretch of text from word start to word start, and the letters-only view of a text."""

from __future__ import annotations

import re

import pytest

from compliance.detect.language import _letters_only
from compliance.detect.phrase_index import reference_hits, wait_for_compiles
from compliance.detect.phrases import START, CategoryMatcher, possessive_runs
from compliance.detect.vocabulary import phrase_finder, phrase_pattern

# (pattern, what it becomes): a run is made possessive only where nothing that follows can
# start with one of its characters.
REWRITES = [
    (r"\d+ ?(?:%|percent)", r"\d++ ?(?:%|percent)"),
    (r"[a-z]+\s", r"[a-z]++\s"),
    (r"(?:\d+)x", r"(?:\d++)x"),
    (r"(?P<w>[a-z]+)\s", r"(?P<w>[a-z]++)\s"),
    (
        r"your\s+(?:(?:[a-z0-9\x27\u2019&-]+)\s+){0,4}?parcel",
        r"your\s++(?:(?:[a-z0-9\x27\u2019&-]++)\s++){0,4}?parcel",
    ),
    (r"(?:\s+(?:[a-z\x27-]+)){0,3}?\s+idiot", r"(?:\s++(?:[a-z\x27-]++)){0,3}?\s++idiot"),
    # Left alone: what follows may start with the run's characters, may be nothing, or is
    # not known from the pattern.
    (r"\d+[0-9]", None),
    (r"\d+ ?\d", None),
    (r"a\d*", None),
    (r"\d+(?:x|y)?", None),
    (r"(?:[a-z]+)?x", None),
    (r"(?:[a-z]+){2}[a-z]", None),
    (r"(?=[a-z]+)\d", None),
    (r"[^a-z]+x", None),
    (r"[a-z]+.", None),
    (r"[\s,]+\u2003", None),  # \s is more than ASCII: an em space is in the run
    (r"\d+\u0663", None),  # an Arabic-Indic three is a \d
    (r"\d*?x", None),
    (r"\d++x", None),
]


@pytest.mark.parametrize(("pattern", "expected"), REWRITES)
def test_runs_become_possessive_only_where_that_changes_nothing(
    pattern: str, expected: str | None
) -> None:
    assert possessive_runs(pattern) == (expected or pattern)


SAMPLES = [
    "your 3 oak dining chairs parcel, 50 % off, 50percent, 1234x 12x9 99\u0663",
    "you absolute idiot , you  idiot, ab  idiot abc def ghi idiot",
    "a1 a12 ab1 xx xy,\u2003 ,  \u2003 9999999999 4 percent",
]


@pytest.mark.parametrize(("pattern", "_expected"), REWRITES)
def test_a_possessive_pattern_finds_what_the_phrase_finds(
    pattern: str, _expected: str | None
) -> None:
    plain, rewritten = re.compile(pattern), re.compile(possessive_runs(pattern))
    for text in SAMPLES:
        assert [m.span() for m in plain.finditer(text)] == [
            m.span() for m in rewritten.finditer(text)
        ], text


def test_look_behinds_are_checked_after_the_plain_start_of_each_branch() -> None:
    lists = [
        ("gift", r"(?<!no\s)(?<!any\s)(?:freebies?|gift\s+cards?|\d+\s+off)"),
        ("ask", r"(?<!t\s)(?:review|rate)\s+us"),
    ]
    matcher = CategoryMatcher.build(lists)
    # Words that share only a first letter with "freebie" or "review" are rejected before
    # any look-behind is tried.
    compiled = matcher.pattern.pattern
    assert r"freebie(?<!no\sfreebie)" in compiled
    assert r"(?<!t\sreview)" in compiled and r"(?<!t\sr)" not in compiled
    for text in [
        "no freebies, a freebie, any gift cards, gift card, 20 off, no 20 off",
        "don't review us, review us, rate us, can't rate us, free gifts",
    ]:
        assert matcher.hits(text) == reference_hits(lists, text), text


@pytest.mark.parametrize(
    ("topic", "category"),
    [("review", "nearby"), ("review", "answering"), ("critical", "purpose")],
)
def test_a_stretch_holds_a_phrase_exactly_when_the_plain_pattern_finds_one(
    topic: str, category: str
) -> None:
    finder = phrase_finder("en", topic, (category,))
    pattern = phrase_pattern("en", topic, (category,))
    assert finder is not None
    text = (
        "if so, please leave us a review when you can. thanks for your great feedback! "
        "we need your street number to book the delivery; rate us later, or not."
    )
    for _pass in ("plain pattern, then compiling", "compiled alternation"):
        for lo in range(0, len(text), 7):
            for hi in range(lo, len(text) + 1, 11):
                assert finder.found_within(text, lo, hi) == (
                    pattern.search(text, lo, hi) is not None
                ), (lo, hi, text[lo:hi])
        wait_for_compiles()
    assert finder._compiled is not None  # the second pass asked the alternation


def test_a_category_without_phrases_has_no_finder() -> None:
    assert phrase_finder("en", "review", ()) is None


def test_the_letters_only_view_keeps_offsets_and_only_a_to_z() -> None:
    text = "Hello, señor Müller: 3 ÷ 4 → ok ñ 東京 jane_doe"
    letters = _letters_only(text.lower())
    assert len(letters) == len(text)
    assert letters.split() == re.findall(r"[a-z]+", text.lower())
    assert START not in letters
