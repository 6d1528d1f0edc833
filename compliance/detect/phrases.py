"""Matching the phrase lists of the vocabularies (compliance.detect.vocabulary) quickly, and
telling which list matched.

A rule's phrases become one alternation, compiled once. Each branch ends in an empty named
group, so ``match.lastgroup`` names the list a hit came from without a second search, and
branches that begin with the same letter share that letter, so at most positions the
regular-expression engine rejects the whole alternation after a single comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

_QUANTIFIERS = frozenset("?*+{")


def expand(fragment: str) -> str:
    """A vocabulary phrase as a regular expression (see the shorthands in
    compliance.detect.vocabulary)."""
    return fragment.replace(" ?", r"\s*").replace(" ", r"\s+").replace("'", "['\u2019]")


def _first_atom(branch: str) -> tuple[str, str] | None:
    """Split off the branch's first atom if it is one plain character."""
    if branch[:1].isalnum():
        atom = branch[0]
    elif branch[:1] == "\\" and len(branch) > 1 and not branch[1].isalnum():
        atom = branch[:2]
    else:
        return None
    rest = branch[len(atom) :]
    if rest[:1] in _QUANTIFIERS:
        return None
    return atom, rest


def _group_end(pattern: str, start: int) -> int:
    """Index of the ")" closing the group that opens at pattern[start]."""
    depth, index, in_class = 0, start, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def _top_level_split(pattern: str) -> list[str]:
    """pattern split on the "|" that are not inside a group or a class."""
    parts, depth, last, index, in_class = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[last:index])
            last = index + 1
        index += 1
    parts.append(pattern[last:])
    return parts


_SIMPLE_CLASS = re.compile(r"\[([^\]\\^-]+)\](?![?*+{])")


def spread(branch: str) -> list[str]:
    """ "(?:a|b)c" as ["ac", "bc"] and "[ab]c" as ["ac", "bc"], so that each branch starts
    with a plain character: the engine rejects those fastest."""
    simple_class = _SIMPLE_CLASS.match(branch)
    if simple_class:
        rest = branch[simple_class.end() :]
        return [re.escape(char) + rest for char in dict.fromkeys(simple_class.group(1))]
    if branch.startswith("\\d") and branch[2:3] not in _QUANTIFIERS:
        return [digit + branch[2:] for digit in "0123456789"]
    if branch.startswith("\\d+"):
        return [digit + "\\d*" + branch[3:] for digit in "0123456789"]
    if not branch.startswith("(?:"):
        return [branch]
    close = _group_end(branch, 0)
    rest = branch[close + 1 :]
    optional = rest[:1] == "?" and rest[1:2] not in _QUANTIFIERS
    if optional:
        rest = rest[1:]
    elif rest[:1] in _QUANTIFIERS:
        return [branch]
    alternatives = _top_level_split(branch[3:close]) + ([""] if optional else [])
    return [spreaded for alternative in alternatives for spreaded in spread(alternative + rest)]


def alternation(branches: list[str], depth: int = 3) -> str:
    """An alternation of branches in which branches starting with the same atom share it,
    down to ``depth`` atoms, keeping the branches' order of priority."""
    if len(branches) == 1 or depth == 0:
        return "(?:" + "|".join(branches) + ")"
    grouped: dict[str, list[str]] = {}
    order: list[str] = []  # atoms and unsplittable branches, in first-seen order
    for branch in branches:
        split = _first_atom(branch)
        if split is None:
            order.append(branch)
            continue
        atom, rest = split
        if atom not in grouped:
            grouped[atom] = []
            order.append(atom)
        grouped[atom].append(rest)
    parts = [
        item + alternation(grouped[item], depth - 1) if item in grouped else item for item in order
    ]
    return "(?:" + "|".join(parts) + ")"


class CategoryMatcher:
    """One compiled alternation over several named phrase lists."""

    def __init__(
        self, after_gap: re.Pattern[str], pattern: re.Pattern[str], categories: Mapping[str, str]
    ):
        self.after_gap = after_gap  # a hit with the character before it
        self.pattern = pattern  # a hit alone, for searching part of a text (pos, endpos)
        self.categories = categories  # marker group -> category
        # The last few texts searched (subject and body of the message being checked), by
        # identity: several rules ask about the same text in one check.
        self._recent: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...] = ()

    @classmethod
    def build(cls, lists: Iterable[tuple[str, str]]) -> CategoryMatcher:
        """``lists`` is (category, regex) pairs, already expanded, in priority order.

        Each hit starts at the beginning of a word and ends at the end of one. The pattern
        finds a hit together with the character before it: the engine skips through words
        much faster looking for a non-letter than testing a look-behind at every letter.
        """
        categories: dict[str, str] = {}
        tails: list[str] = []
        lists = list(lists)
        for _, branch in lists:
            if len(_top_level_split(branch)) != 1 or re.fullmatch(branch, ""):
                raise ValueError(
                    f"a phrase must be one alternative that matches something: {branch!r}"
                )
        spread_lists = [(category, part) for category, branch in lists for part in spread(branch)]
        for index, (category, branch) in enumerate(spread_lists):
            marker = f"{category}__{index}"
            categories[marker] = category
            tails.append(f"{branch}(?P<{marker}>)")
        body = alternation(tails) + r"(?![a-z0-9])"
        return cls(re.compile(r"[^a-z0-9]" + body), re.compile(r"(?<![a-z0-9])" + body), categories)

    def hits(self, text: str) -> tuple[tuple[str, int, int], ...]:
        """(category, start, end) for each hit."""
        for known, found in self._recent:
            if known is text:
                return found
        categories = self.categories
        # " " stands for the start of the text; it shifts every offset by one.
        found = tuple(
            (categories[match.lastgroup or ""], match.start(), match.end() - 1)
            for match in self.after_gap.finditer(" " + text)
        )
        self._recent = ((text, found), *self._recent[:3])
        return found


def phrase_lists(lists: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    return [(category, expand(p)) for category, phrases in lists.items() for p in phrases]


# Look-alike characters people put in place of letters to get a word past a filter.
_LEET = {
    "a": "a@4",
    "b": "b8",
    "e": "e3",
    "g": "g9",
    "i": "i1!l|",
    "l": "l1|i",
    "o": "o0",
    "s": "s5$z",
    "t": "t7+",
    "u": "uv",
}
_MASKS = "*#"
_SPACING = r"[\s._~-]{0,2}"


def plain_word(stem: str, endings: str) -> str:
    """A word and its endings as written, allowing repeated letters (``fuuuck``)."""
    letters = [re.escape(letter) for letter in stem.lstrip("~")]
    ending = f"(?:{endings})?" if endings else ""
    return letters[0] + "".join(f"{letter}+" for letter in letters[1:]) + ending


# A single letter followed by two more, each after a space, dot or dash: "s h i t", "f.u.c.k".
SPACED_LETTERS = r"[a-z](?=[\s._~-]{1,2}[a-z][\s._~-]{1,2}[a-z](?![a-z0-9]))"


def fuzzy_word(stem: str, endings: str) -> str:
    """A word and its endings, tolerating look-alike symbols, masked letters (``f*ck``) and
    repeated letters and, unless the stem starts with ``~`` (a short word), look-alike
    digits and letter spacing."""
    spaced = not stem.startswith("~")
    stem = stem.lstrip("~")
    pieces = []
    for index, letter in enumerate(stem):
        options = _LEET.get(letter, letter) + (_MASKS if index else "")
        if not spaced:  # a short word: digits would turn model numbers (A55) into words
            options = "".join(c for c in options if not c.isdigit())
        chars = "".join("\\" + c if c in "^]\\-" else c for c in options)
        one = f"[{chars}]" if len(options) > 1 else re.escape(letter)
        pieces.append(f"{one}{one}*")  # the first copy stays plain, for the branch grouping
    joiner = _SPACING if spaced else ""
    word = joiner.join(pieces)
    return word + (f"(?:{endings})?" if endings else "")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between . ! ? or line ends) holding text[start:end]."""
    lo = (
        max(
            text.rfind(".", 0, start),
            text.rfind("!", 0, start),
            text.rfind("?", 0, start),
            text.rfind("\n", 0, start),
        )
        + 1
    )
    ends = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return lo, min(ends) if ends else len(text)


# Dashes and quotes that the normalizer keeps but people use in place of "-" and "'".
_ASCII_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys(map(chr, range(0x2010, 0x2016)), "-"),
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
    }
)


@lru_cache(maxsize=16)
def matchable(text: str) -> str:
    """Normalized text with look-alike dashes and apostrophes made ASCII, one character for
    one, so offsets stay valid. The same object is returned for the same text."""
    return text if text.isascii() else text.translate(_ASCII_PUNCTUATION)
