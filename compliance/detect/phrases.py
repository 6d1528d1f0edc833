"""Matching the phrase lists of the vocabularies (compliance.detect.vocabulary) quickly, and
telling which list matched.

A rule's phrases become one alternation, compiled once. Each branch ends in an empty named
group, so ``match.lastgroup`` names the list a hit came from without a second search, and
branches that begin with the same letter share that letter, so at most positions the
regular-expression engine rejects the whole alternation after a single comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

_QUANTIFIERS = frozenset("?*+{")


def expand(fragment: str) -> str:
    """A vocabulary phrase as a regular expression (see the shorthands in
    compliance.detect.vocabulary)."""
    return fragment.replace(" ?", r"\s*").replace(" ", r"\s+").replace("'", "['\u2019]")


_SPECIAL = frozenset("\\()[]{}|?*+.^$")


def _first_atom(branch: str) -> tuple[str, str] | None:
    """Split off the branch's first atom if it is one plain character."""
    if branch[:1] and branch[0] not in _SPECIAL:
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


_SIMPLE_CLASS = re.compile(r"\[([^\]\\^]+)\](?![?*+{])")


def class_characters(body: str, limit: int = 16) -> list[str] | None:
    """The characters of a class body such as "1-5" or "$€£", in order; None for one with
    more than ``limit`` of them."""
    chars: list[str] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            chars.extend(chr(c) for c in range(ord(body[index]), ord(body[index + 2]) + 1))
            index += 3
        else:
            chars.append(body[index])
            index += 1
        if len(chars) > limit:
            return None
    return list(dict.fromkeys(chars))


# Characters of copied pattern text one phrase may grow to by spreading: past this, the
# group stays a group (slower to reject, far cheaper to compile).
_SPREAD_BUDGET = 12_000


def tidy(branch: str) -> str:
    """Take out what changes nothing but hides a phrase's first letter from ``spread``: an
    exactly-once quantifier "(?:...){1}" and a leading "(?=\\S)" before a letter."""
    branch = re.sub(r"(?<!\\)\)\{1\}", ")", branch)
    branch = re.sub(r"(?<!\\)\)\{0,1\}", ")?", branch)
    while branch.startswith("(?=\\S)") and branch[6:7].isalnum():
        branch = branch[6:]
    while branch.startswith("(?=\\S)(?:"):
        branch = branch[6:]  # a group after it: spread checks each choice's own start
    return branch


def spread(branch: str, budget: int = _SPREAD_BUDGET) -> list[str]:
    """ "(?:a|b)c" as ["ac", "bc"] and "[ab]c" as ["ac", "bc"], so that each branch starts
    with a plain character: the engine rejects those fastest. Look-behinds in front move
    behind the first character ("(?<!no\\s)c" as "c(?<!no\\sc)"), which means the same."""
    behind, branch = _leading_lookbehinds(branch)
    if behind:
        return [_after_first_character(part, behind) for part in spread(branch, budget)]
    simple_class = _SIMPLE_CLASS.match(branch)
    if simple_class:
        rest = branch[simple_class.end() :]
        chars = class_characters(simple_class.group(1))
        if chars is not None:
            return [re.escape(char) + rest for char in chars]
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
    if len(alternatives) * len(rest) > budget:
        return [branch]
    share = budget // len(alternatives)
    return [part for alternative in alternatives for part in spread(alternative + rest, share)]


def _leading_lookbehinds(branch: str) -> tuple[list[str], str]:
    behind = []
    while branch.startswith(("(?<!", "(?<=")):
        close = _group_end(branch, 0)
        behind.append(branch[: close + 1])
        branch = branch[close + 1 :]
    return behind, branch


def _after_first_character(part: str, behind: list[str]) -> str:
    """part with the look-behinds checked after its first character, if it has a plain
    one; otherwise as it was."""
    first = _first_atom(part)
    if first is None or not branch_is_plain(first[0]):
        return "".join(behind) + part
    atom, rest = first
    moved = "".join(look[:-1] + atom + ")" for look in behind)
    return atom + moved + rest


def branch_is_plain(atom: str) -> bool:
    return atom.isalnum() or (atom.startswith("\\") and not atom[1:].isalnum())


_WHITESPACE_CHARS = frozenset(" \t\n\r\f\v")


def first_characters(pattern: str, depth: int = 0) -> frozenset[str] | None:
    """Every character a match of the pattern can begin with; None when that is not clear
    from the pattern (or could be anything)."""
    if depth > 6:
        return None
    alternatives = _top_level_split(pattern)
    if len(alternatives) > 1:
        return _union(first_characters(a, depth + 1) for a in alternatives)
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            index = _group_end(pattern, index) + 1
            continue
        if char in "^$":
            index += 1
            continue
        if char == "(":
            close = _group_end(pattern, index)
            body = pattern[index + 3 : close] if pattern.startswith("(?:", index) else None
            if body is None:
                return None
            rest = pattern[close + 1 :]
            optional = rest[:1] in ("?", "*") or rest.startswith("{0")
            rest = _skip_quantifier(rest)
            found = _union(first_characters(a + rest, depth + 1) for a in _top_level_split(body))
            if optional:
                found = _union([found, first_characters(rest, depth + 1)])
            return found
        if char == "[":
            close = (
                pattern.index("]", index + 2)
                if pattern[index + 1 : index + 2] == "]"
                else (pattern.index("]", index + 1))
            )
            chars = class_characters(pattern[index + 1 : close], limit=64)
            if chars is None or pattern[index + 1 : index + 2] == "^" or "\\" in chars:
                return None
            found = frozenset(chars)
            index = close + 1
        elif char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if escaped == "d":
                found = frozenset("0123456789")
            elif escaped == "s":
                found = _WHITESPACE_CHARS
            elif escaped and not escaped.isalnum():
                found = frozenset(escaped)
            else:
                return None
            index += 2
        elif char in _SPECIAL:
            return None  # "." and the like: anything
        else:
            found = frozenset(char)
            index += 1
        rest = pattern[index:]
        if rest[:1] in ("?", "*") or rest.startswith("{0"):
            return _union([found, first_characters(_skip_quantifier(rest), depth + 1)])
        return found
    return None  # nothing left: an empty match could begin with anything


def _skip_quantifier(rest: str) -> str:
    if rest[:1] in "?*+":
        rest = rest[1:]
    elif rest[:1] == "{" and "}" in rest:
        rest = rest[rest.index("}") + 1 :]
    else:
        return rest
    return rest[1:] if rest[:1] in ("?", "+") else rest


def _union(parts: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    chars: set[str] = set()
    for part in parts:
        if part is None:
            return None
        chars |= part
    return frozenset(chars)


def alternation(branches: list[str], depth: int = 3) -> str:
    """An alternation of branches in which branches starting with the same atom share it,
    down to ``depth`` atoms. Priority is kept: a branch joins the group of its first atom
    only if no branch between them (one that starts with no plain atom) could match where
    that atom is; otherwise it starts a new group after that branch."""
    if len(branches) == 1 or depth == 0:
        return "(?:" + "|".join(branches) + ")"
    items: list[str | list[str]] = []  # an unsplittable branch, or [atom, rests...]
    open_groups: dict[str, list[str]] = {}
    for branch in branches:
        split = _first_atom(branch)
        if split is None:
            blocked = first_characters(branch)
            if blocked is None:
                open_groups.clear()
            else:
                for atom in list(open_groups):
                    if _atom_character(atom) in blocked:
                        del open_groups[atom]
            items.append(_grouped_start(branch, depth))
            continue
        atom, rest = split
        group = open_groups.get(atom)
        if group is None:
            group = [atom]
            open_groups[atom] = group
            items.append(group)
        group.append(rest)
    parts = [
        item if isinstance(item, str) else item[0] + alternation(item[1:], depth - 1)
        for item in items
    ]
    return "(?:" + "|".join(parts) + ")"


def _atom_character(atom: str) -> str:
    return atom[1] if atom.startswith("\\") else atom


def _grouped_start(branch: str, depth: int) -> str:
    """A branch that starts with a group, with that group's choices grouped by their first
    atoms (so they are rejected as fast as separate branches would be)."""
    if not branch.startswith("(?:") or depth == 0:
        return branch
    close = _group_end(branch, 0)
    choices = _top_level_split(branch[3:close])
    if len(choices) < 3:
        return branch
    return alternation(choices, depth) + branch[close + 1 :]


class CategoryMatcher:
    """One compiled alternation over several named phrase lists."""

    def __init__(self, pattern: re.Pattern[str], categories: Mapping[str, str]):
        self.pattern = pattern
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
        Branches keep their priority (``alternation``), so the hits are those of the
        phrases tried one by one (compliance.detect.phrase_index.merge_hits).
        """
        categories: dict[str, str] = {}
        tails: list[str] = []
        lists = list(lists)
        for _, branch in lists:
            if len(_top_level_split(branch)) != 1 or re.fullmatch(branch, ""):
                raise ValueError(
                    f"a phrase must be one alternative that matches something: {branch!r}"
                )
        for category, branch in lists:
            for part in spread(tidy(branch)):
                marker = f"{category}__{len(tails)}"
                categories[marker] = category
                tails.append(f"{part}(?P<{marker}>)")
        body = alternation([_start_marked(tail) for tail in tails]) + r"(?![a-z0-9])"
        return cls(re.compile(r"[^a-z0-9]" + body), categories)

    def hits(self, text: str) -> tuple[tuple[str, int, int], ...]:
        """(category, start, end) for each hit."""
        for known, found in self._recent:
            if known is text:
                return found
        categories = self.categories
        # START stands for the start of the text; it shifts every offset by one.
        found = tuple(
            (categories[match.lastgroup or ""], match.start(), match.end() - 1)
            for match in self.pattern.finditer(START + text)
        )
        self._recent = ((text, found), *self._recent[:3])
        return found

    def hits_within(self, marked: str, lo: int, hi: int) -> Iterator[tuple[str, int, int]]:
        """(category, start, end) of each hit inside text[lo:hi], given ``marked``, the text
        with START before it (offsets are those of the text)."""
        for match in self.pattern.finditer(marked, lo, hi + 1):
            yield self.categories[match.lastgroup or ""], match.start(), match.end() - 1


# The character put before a text so that every hit, even the first, follows a non-letter
# the search can skip to quickly; "^" in a phrase is rewritten to look for it.
START = "\x01"


def _start_marked(branch: str) -> str:
    """The branch with "^" (the start of the text) as START: "(?<=\\x01)", or "\\x01" inside
    a look-behind."""
    if "^" not in branch:
        return branch
    out: list[str] = []
    behind = []  # for each open group: whether it is a look-behind
    index = 0
    while index < len(branch):
        char = branch[index]
        if char == "\\":
            out.append(branch[index : index + 2])
            index += 2
            continue
        if char == "[":
            close = branch.index(
                "]", index + 2 if branch[index + 1 : index + 2] in "^]" else index + 1
            )
            out.append(branch[index : close + 1])
            index = close + 1
            continue
        if char == "(":
            behind.append(branch.startswith(("(?<=", "(?<!"), index))
        elif char == ")" and behind:
            behind.pop()
        elif char == "^":
            out.append("\\x01" if any(behind) else "(?<=\\x01)")
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


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
