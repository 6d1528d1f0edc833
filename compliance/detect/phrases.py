"""Matching the phrase lists of the vocabularies (compliance.detect.vocabulary) quickly, and
telling which list matched.

A rule's phrases become one alternation, compiled once. Each branch ends in an empty named
group, so ``match.lastgroup`` names the list a hit came from without a second search. The
branches are regrouped by the character they begin with (``leading_alternation``), so that
every alternative the engine meets first starts with a literal or a class: it rejects each of
those after a single comparison, where a branch starting with a group or a look-behind would
be entered at every position.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
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


# What the scans of pattern text below look at: an escape (skipped whole), and the
# characters that open or close a group or a class, or separate alternatives. Stepping from
# one to the next in C rather than through every character in Python matters: the
# alternations are scanned many times over while they are built.
_SYNTAX = re.compile(r"\\.|[\[\]()|]", re.DOTALL)


def group_end(pattern: str, start: int) -> int:
    """Index of the ")" closing the group that opens at pattern[start]."""
    depth, in_class, skip_to = 0, False, start
    for token in _SYNTAX.finditer(pattern, start):
        char, index = token.group(), token.start()
        if char[0] == "\\" or index < skip_to:
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            skip_to = index + 2  # a "]" just after "[" is a member
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced group in {pattern!r}")


def top_level_split(pattern: str) -> list[str]:
    """pattern split on the "|" that are not inside a group or a class."""
    parts, depth, last, in_class = [], 0, 0, False
    for token in _SYNTAX.finditer(pattern):
        char = token.group()
        if char[0] == "\\":
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
            parts.append(pattern[last : token.start()])
            last = token.end()
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
    behind the plain characters that start each branch ("(?<!no\\s)c" as "c(?<!no\\sc)"),
    which means the same."""
    behind, branch = _leading_lookbehinds(branch)
    if behind:
        return [_after_literal_start(part, behind) for part in spread(branch, budget)]
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
    close = group_end(branch, 0)
    rest = branch[close + 1 :]
    optional = rest[:1] == "?" and rest[1:2] not in _QUANTIFIERS
    if optional:
        rest = rest[1:]
    elif rest[:1] in _QUANTIFIERS:
        return [branch]
    alternatives = top_level_split(branch[3:close]) + ([""] if optional else [])
    if len(alternatives) * len(rest) > budget:
        return [branch]
    share = budget // len(alternatives)
    return [part for alternative in alternatives for part in spread(alternative + rest, share)]


# A run: one character set repeated greedily with "*" or "+" (not "*?", not "*+" already).
_RUN = re.compile(r"(\\[ds]|\[(?!\^)(?:\\.|[^\]\\])+\])[*+](?![*+?])")
_ENDS = "\ue000"  # stands for "the match may end here" in a first-character set


def possessive_runs(pattern: str) -> str:
    """The pattern with each run that is followed by something that cannot start with one
    of its characters made possessive ("\\d+ ?%" as "\\d++ ?%", "[a-z]+\\s" as
    "[a-z]++\\s"), which means the same: giving a character back could only put one of the
    run's characters where none can be. The engine then gives up on a word or a number that
    is not followed by what a phrase wants at once, instead of retrying every shorter run,
    which is most of what a phrase like "your (?:@word ){0,4}?@package" costs."""
    groups = _Groups(pattern)
    pieces: list[str] = []
    last = 0
    for run in _RUN.finditer(pattern):
        if groups.in_class(run.start()):
            continue
        member = _run_member(run.group(1))
        follows = groups.follows(run.end(), groups.enclosing(run.start()))
        if member is None or follows is None or any(map(member, follows)):
            continue
        pieces.append(pattern[last : run.end()] + "+")
        last = run.end()
    return "".join(pieces) + pattern[last:]


def _run_member(atom: str) -> Callable[[str], bool] | None:
    """A test for the characters of a run's set: \\d, \\s or a class with no digits or
    spaces beyond ASCII ones (first_characters reads \\d and \\s as their ASCII members
    only, which is exact against such a set)."""
    if atom == "\\d":
        return str.isdecimal
    if atom == "\\s":
        return str.isspace
    body = atom[1:-1]
    chars = _class_set(body)
    if chars is None or any(not ch.isascii() and (ch.isdecimal() or ch.isspace()) for ch in chars):
        return None
    digits, spaces = "\\d" in body, "\\s" in body  # these stand for more than ASCII
    return lambda ch: ch in chars or (digits and ch.isdecimal()) or (spaces and ch.isspace())


class _Groups:
    """The groups of a pattern: where each opens and closes, the "|" of each, and which
    group encloses a position, found in one scan."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.close: dict[int, int] = {}
        self.parent: dict[int, int] = {}
        self.bars: dict[int, list[int]] = {-1: []}
        self.classes: list[tuple[int, int]] = []
        self._opens: list[int] = []  # every group's opening, in order
        stack, class_start = [-1], -1
        for token in _SYNTAX.finditer(pattern):
            char, index = token.group(), token.start()
            if char[0] == "\\":
                continue
            if class_start >= 0:
                if char == "]" and index > class_start + 1 + (pattern[class_start + 1] == "^"):
                    self.classes.append((class_start, index))
                    class_start = -1
            elif char == "[":
                class_start = index
            elif char == "(":
                self.parent[index] = stack[-1]
                self.bars[index] = []
                self._opens.append(index)
                stack.append(index)
            elif char == ")":
                self.close[stack.pop()] = index
            elif char == "|":
                self.bars[stack[-1]].append(index)
        self._follows: dict[int, frozenset[str] | None] = {}

    def in_class(self, index: int) -> bool:
        return any(lo < index <= hi for lo, hi in self.classes)

    def enclosing(self, index: int) -> int:
        """The innermost group open at index (-1: none)."""
        spot = bisect_right(self._opens, index) - 1
        while spot >= 0:
            opened = self._opens[spot]
            if self.close.get(opened, len(self.pattern)) > index:
                return opened
            spot -= 1
        return -1

    def follows(self, index: int, group: int) -> frozenset[str] | None:
        """Every character the match can go on with at index (inside ``group``); None when
        that is not clear or the match could end there."""
        bars = self.bars[group]
        spot = bisect_right(bars, index)
        end = bars[spot] if spot < len(bars) else self.close.get(group, len(self.pattern))
        here = first_characters(self.pattern[index:end] + _ENDS)
        if here is None or _ENDS not in here:
            return here
        if group < 0 or not self.pattern.startswith(("(?:", "(?P<"), group):
            return None  # the end of the whole pattern, or of a look-around
        after = self._after(group)
        return None if after is None else (here - {_ENDS}) | after

    def _after(self, group: int) -> frozenset[str] | None:
        """What the match can go on with after the group (again, if it repeats)."""
        if group not in self._follows:
            close = self.close[group]
            rest = self.pattern[close + 1 :]
            quantifier = rest[: len(rest) - len(_skip_quantifier(rest))]
            after = self.follows(close + 1 + len(quantifier), self.parent[group])
            if after is not None and quantifier and not quantifier.startswith(("?", "{0,1}")):
                start = (
                    3
                    if self.pattern.startswith("(?:", group)
                    else self.pattern.index(">", group) + 1
                )
                again = first_characters(self.pattern[group + start : close])
                after = None if again is None else after | again
            self._follows[group] = after
        return self._follows[group]


def _leading_lookbehinds(branch: str) -> tuple[list[str], str]:
    behind = []
    while branch.startswith(("(?<!", "(?<=")):
        close = group_end(branch, 0)
        behind.append(branch[: close + 1])
        branch = branch[close + 1 :]
    return behind, branch


def _after_literal_start(part: str, behind: list[str]) -> str:
    """part with the look-behinds checked after the plain characters it starts with
    ("(?<!no\\s)code" as "code(?<!no\\scode)"), if it starts with one; otherwise as it was.
    Checked that late, they cost nothing at the many words that only share a first letter
    with the phrase ("the" for "testimonial"), which a check after one character did not."""
    atoms: list[str] = []
    rest = part
    while (first := _first_atom(rest)) is not None and branch_is_plain(first[0]):
        atom, rest = first
        atoms.append(atom)
    if not atoms:
        return "".join(behind) + part
    start = "".join(atoms)
    moved = "".join(look[:-1] + start + ")" for look in behind)
    return start + moved + rest


def branch_is_plain(atom: str) -> bool:
    return atom.isalnum() or (atom.startswith("\\") and not atom[1:].isalnum())


_WHITESPACE_CHARS = frozenset(" \t\n\r\f\v")


def first_characters(pattern: str, depth: int = 0) -> frozenset[str] | None:
    """Every character a match of the pattern can begin with; None when that is not clear
    from the pattern (or could be anything)."""
    if depth > 6:
        return None
    alternatives = top_level_split(pattern)
    if len(alternatives) > 1:
        return _union(first_characters(a, depth + 1) for a in alternatives)
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            index = group_end(pattern, index) + 1
            continue
        if char in "^$":
            index += 1
            continue
        if char == "(":
            close = group_end(pattern, index)
            body = pattern[index + 3 : close] if pattern.startswith("(?:", index) else None
            if body is None:
                return None
            rest = pattern[close + 1 :]
            optional = rest[:1] in ("?", "*") or rest.startswith("{0")
            rest = _skip_quantifier(rest)
            found = _union(first_characters(a + rest, depth + 1) for a in top_level_split(body))
            if optional:
                found = _union([found, first_characters(rest, depth + 1)])
            return found
        if char == "[":
            close = (
                pattern.index("]", index + 2)
                if pattern[index + 1 : index + 2] == "]"
                else (pattern.index("]", index + 1))
            )
            found_in_class = _class_set(pattern[index + 1 : close])
            if found_in_class is None:
                return None
            found = found_in_class
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
            # (Only worked out when some group is open: it reads the whole branch.)
            blocked = first_characters(branch) if open_groups else frozenset()
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
    close = group_end(branch, 0)
    choices = top_level_split(branch[3:close])
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
        Branches keep their priority (``leading_alternation``), so the hits are those of
        the phrases tried one by one (compliance.detect.phrase_index.merge_hits). A marker
        copied with a branch taken apart gets a number of its own.
        """
        categories: dict[str, str] = {}
        tails: list[str] = []
        lists = list(lists)
        for _, branch in lists:
            if len(top_level_split(branch)) != 1 or re.fullmatch(branch, ""):
                raise ValueError(
                    f"a phrase must be one alternative that matches something: {branch!r}"
                )
        for category, branch in lists:
            tails.extend(
                f"{_start_marked(piece)}(?P<{category}__#>)" for piece in spread(tidy(branch))
            )
        body = leading_alternation(tails)

        # A branch taken apart may have its marker copied; each copy gets a name of its own.
        def number(marker: re.Match[str]) -> str:
            name = f"{marker.group(1)}__{len(categories)}"
            categories[name] = marker.group(1)
            return f"(?P<{name}>)"

        body = possessive_runs(_MARKER.sub(number, body))
        return cls(re.compile(r"[^a-z0-9]" + body + r"(?![a-z0-9])"), categories)

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

    def found_within(self, text: str, lo: int, hi: int) -> bool:
        """Whether a hit lies inside text[lo:hi]: what ``re.search(text, lo, hi)`` of the
        phrases behind word boundaries answers, without trying every position."""
        return self.pattern.search(START + text, lo, hi + 1) is not None

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


# --- Every top-level alternative led by a one-character test ------------------------------
#
# sre's BRANCH opcode skips an alternative whose first opcode is a literal or a character
# class after testing a single character; any other alternative (a group, a look-behind) is
# entered and worked through, at every position the search tries. ``leading_alternation``
# rewrites a list of branches so that every top-level alternative starts by consuming one
# character of a known set: each branch is taken apart into "a character of this set, then
# this" entries (see ``_derive``), and the entries of all branches are regrouped so that the
# characters leading to the same entries, in the same order, share one alternative. Entries
# that can start with the same character keep their order, so the leftmost-first,
# earlier-branch-first answer of the alternation does not change.

_Entry = tuple[frozenset[str], str]  # (first characters, what follows one of them)

# How far the rearranging goes. Each limit trades compile time (the pattern grows with the
# copies it makes) against search time; together they keep building every topic of every
# language within about 1.3 times what it took before the rearranging.
# Characters taken apart: the first only. Taking a second apart too searched the review and
# offensive lists 10-20% faster, but made building every topic ~20% slower again.
_DEPTH = 1
_BRANCH_GROWTH = 9  # times a branch may grow by copying what follows its leading group
_FOLLOW_GROWTH = 1.3  # times what follows a character may grow, taken apart at depth 2+
_WIDE_CHARS, _WIDE_AFTER = 6, 300  # an entry for more characters, this long, is not copied
_MARKER = re.compile(r"\(\?P<(\w+?)__#>\)")  # a marker to number (see CategoryMatcher)


@lru_cache(maxsize=1)
def _unicode_sets() -> tuple[frozenset[str], frozenset[str]]:
    """What "\\d" and "\\s" match in a str pattern: every Unicode decimal digit and space."""
    chars = list(map(chr, range(0x110000)))
    return frozenset(filter(str.isdecimal, chars)), frozenset(filter(str.isspace, chars))


_CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _escape_end(pattern: str, index: int) -> int:
    """Index just past the escape that starts at pattern[index] (a backslash)."""
    return index + 2 + _HEX_ESCAPES.get(pattern[index + 1 : index + 2], 0)


def _escaped_chars(escape: str, in_class: bool) -> frozenset[str] | None:
    """The characters one escape stands for; None for one matching no plain set."""
    kind = escape[1]
    if kind in _HEX_ESCAPES:
        return frozenset(chr(int(escape[2:], 16)))
    if kind == "d":
        return _unicode_sets()[0]
    if kind == "s":
        return _unicode_sets()[1]
    if kind in _CONTROL_ESCAPES:
        return frozenset(_CONTROL_ESCAPES[kind])
    if kind.isalnum() or (kind == "b" and in_class):
        return None  # \w, \S, \b, back-references: no plain set, or zero-width
    return frozenset(kind)


def _class_close(pattern: str, index: int) -> int:
    """Index of the "]" closing the class that opens at pattern[index]."""
    index += 2 if pattern[index + 1 : index + 2] == "^" else 1
    if pattern[index : index + 1] == "]":
        index += 1
    while pattern[index] != "]":
        index = _escape_end(pattern, index) if pattern[index] == "\\" else index + 1
    return index


def _class_set(body: str) -> frozenset[str] | None:
    """The characters of a class body; None for a negated class or one holding \\w or the
    like."""
    if body.startswith("^"):
        return None
    # Each member: one character (which may start or end a range) or a set such as \d.
    members: list[tuple[str | frozenset[str], bool]] = []  # (member, is an unescaped "-")
    index = 0
    while index < len(body):
        if body[index] == "\\":
            end = _escape_end(body, index)
            found = _escaped_chars(body[index:end], in_class=True)
            if found is None:
                return None
            members.append((next(iter(found)) if len(found) == 1 else found, False))
            index = end
        else:
            members.append((body[index], body[index] == "-"))
            index += 1
    chars: set[str] = set()
    position = 0
    while position < len(members):
        low = members[position][0]
        if position + 2 < len(members) and members[position + 1][1]:
            high = members[position + 2][0]
            if not isinstance(low, str) or not isinstance(high, str):
                return None  # "\d-x": sre refuses it anyway
            chars.update(map(chr, range(ord(low), ord(high) + 1)))
            position += 3
        else:
            chars.update(low)
            position += 1
    return frozenset(chars)


def _class_text(chars: frozenset[str]) -> str:
    """A pattern matching exactly one of ``chars``: a literal, or a class."""
    if len(chars) == 1:
        return re.escape(next(iter(chars)))
    digits, spaces = _unicode_sets()
    if chars == digits:
        return "\\d"
    if chars == spaces:
        return "\\s"
    parts = []
    if digits <= chars:
        parts.append("\\d")
        chars -= digits
    if spaces <= chars:
        parts.append("\\s")
        chars -= spaces
    codes = sorted(map(ord, chars))
    start = 0
    while start < len(codes):
        end = start
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        low, high = _class_char(codes[start]), _class_char(codes[end])
        parts.append(low if end == start else low + high if end == start + 1 else f"{low}-{high}")
        start = end + 1
    return "[" + "".join(parts) + "]"


def _class_char(code: int) -> str:
    char = chr(code)
    if (char.isalnum() and char.isascii()) or char in " !\"#$%&'(),./:;<=>?@_`{|}~*+":
        return char
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def _next_item(pattern: str) -> tuple[str, str, str]:
    """The first item of a pattern with no top-level "|": (item, its quantifier, the rest)."""
    char = pattern[0]
    if char == "\\":
        end = _escape_end(pattern, 0)
    elif char == "[":
        end = _class_close(pattern, 0) + 1
    elif char == "(":
        end = group_end(pattern, 0) + 1
    else:
        end = 1
    quantifier = re.match(r"(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?", pattern[end:])
    q = quantifier.group() if quantifier else ""
    return pattern[:end], q, pattern[end + len(q) :]


def _group(parts: list[str]) -> str:
    """parts as one alternative that can be followed by more pattern."""
    if len(parts) == 1 and len(top_level_split(parts[0])) == 1:
        return parts[0]
    return "(?:" + "|".join(parts) + ")"


def _regroup(entries: list[_Entry]) -> list[tuple[frozenset[str], list[str]]]:
    """Entries merged so that each character leads to one: (characters, what may follow
    them, in order)."""
    by_char: dict[str, list[int]] = {}
    for number, (chars, _) in enumerate(entries):
        for char in chars:
            by_char.setdefault(char, []).append(number)
    by_sequence: dict[tuple[int, ...], set[str]] = {}
    for char, numbers in by_char.items():
        by_sequence.setdefault(tuple(numbers), set()).add(char)
    return [
        (frozenset(chars), [entries[n][1] for n in numbers])
        for numbers, chars in by_sequence.items()
    ]


def _derive(pattern: str, depth: int = 0) -> tuple[list[_Entry], bool] | None:
    """The pattern (with no top-level "|") as entries "one character of this set, then
    this", tried in order, and whether it can also match nothing (tried last); None when
    that cannot be worked out (a look-ahead first, \\w, a lazy quantifier...)."""
    if not pattern:
        return [], True
    if depth > 8:
        return None
    item, quantifier, rest = _next_item(pattern)
    if item.startswith(("(?<!", "(?<=", "(?=", "(?!")) and not quantifier:
        derived = _derive(rest, depth)
        if derived is None or derived[1]:
            return None
        return [(chars, _look_after(item, chars) + after) for chars, after in derived[0]], False
    own = _derive_item(item, depth)
    if own is None:
        return None
    entries, empty = own
    if quantifier and ((quantifier[-1] in "?+" and len(quantifier) > 1) or empty):
        return None  # lazy and possessive quantifiers, and repeated empty matches
    low, high = _bounds(quantifier)
    if high == 0:
        return _derive(rest, depth)
    more = "" if high == 1 else item + _quantifier(max(low - 1, 0), high - 1 if high > 0 else -1)
    own_entries = [(chars, _group(afters) + more + rest) for chars, afters in _regroup(entries)]
    if low and not empty:
        return own_entries, False
    after = _derive(rest, depth)
    if after is None:
        return None
    return own_entries + after[0], after[1]


def _quantifier(low: int, high: int) -> str:
    if (low, high) == (0, -1):
        return "*"
    if (low, high) == (0, 1):
        return "?"
    if low == high:
        return f"{{{low}}}"
    return f"{{{low},{'' if high < 0 else high}}}"


def _look_after(look: str, chars: frozenset[str]) -> str:
    """A look-around that stood before a character of ``chars``, as checked just after it:
    a look-behind with the character added to its end ("(?<!no\\s)c" is "c(?<!no\\sc)"), a
    look-ahead inside a one-character look-behind ("(?!x)c" is "c(?<=(?!x)c)")."""
    if look.startswith("(?<"):
        body = look[4:-1]
        if len(top_level_split(body)) > 1:
            body = f"(?:{body})"
        return f"{look[:4]}{body}{_class_text(chars)})"
    return f"(?<={look}{_class_text(chars)})"


def _bounds(quantifier: str) -> tuple[int, int]:
    """The least and most repeats a greedy quantifier allows (-1: no limit)."""
    if not quantifier:
        return 1, 1
    if quantifier[0] in "?*+":
        return {"?": (0, 1), "*": (0, -1), "+": (1, -1)}[quantifier[0]]
    low, _, high = quantifier[1:-1].partition(",")
    if "," not in quantifier:
        return int(low), int(low)
    return int(low or 0), int(high) if high else -1


def _derive_item(item: str, depth: int) -> tuple[list[_Entry], bool] | None:
    """The same for one item (no quantifier)."""
    if item.startswith("(?:"):
        entries: list[_Entry] = []
        empty = False
        for choice in top_level_split(item[3:-1]):
            derived = _derive(choice, depth + 1)
            if derived is None or empty:
                return None  # after an empty choice, the next would be tried after it
            entries += derived[0]
            empty = derived[1]
        return entries, empty
    if item.startswith("("):
        return None  # look-arounds, capturing groups
    if item.startswith("["):
        chars = _class_set(item[1:-1])
    elif item.startswith("\\"):
        chars = _escaped_chars(item, in_class=False)
    elif item in _SPECIAL:
        chars = None  # ".", "^", "$"
    else:
        chars = frozenset(item)
    return None if chars is None else ([(chars, "")], False)


def leading_alternation(branches: list[str], depth: int = _DEPTH) -> str:
    """The branches as one alternation (a group) whose alternatives each begin with a
    literal or a class, as far as the branches can be taken apart. What follows a first
    character is rearranged the same way, ``depth`` characters deep."""
    return "(?:" + "|".join(_led(branches, depth)) + ")"


def _led(branches: list[str], depth: int) -> list[str]:
    """The alternatives of ``leading_alternation``.

    A branch that cannot be taken apart stays whole, as an alternative of its own after
    every entry of an earlier branch that could start where it does, and before every
    entry of a later one that could. Entries are gathered in blocks between those
    branches: each goes to the first block that keeps that order."""
    blocks: list[list[_Entry] | tuple[str, frozenset[str] | None]] = []
    after_block: dict[str, int] = {}  # character -> the block it must come after, or be in
    after_all = -1  # a branch that may start with any character
    for branch in branches:
        derived = _derive(branch)
        if derived is not None and not derived[1] and _grows_little(branch, derived[0]):
            for chars, after in derived[0]:
                if len(chars) > _WIDE_CHARS and len(after) > _WIDE_AFTER:
                    # Regrouped, an entry for many characters would be copied once for
                    # each group of them; a long one stays one alternative of its own.
                    blocks.append((_class_text(chars) + after, chars))
                    for char in chars:
                        after_block[char] = len(blocks) - 1
                    continue
                floor = max([after_all, *(after_block.get(char, -1) for char in chars)])
                target = next(
                    (
                        number
                        for number in range(max(floor, 0), len(blocks))
                        if isinstance(blocks[number], list)
                    ),
                    None,
                )
                if target is None:
                    target = len(blocks)
                    blocks.append([])
                block = blocks[target]
                assert isinstance(block, list)
                block.append((chars, after))
                for char in chars:
                    after_block[char] = target
            continue
        shared = _shared_tail(branch) if derived is not None and not derived[1] else None
        if shared is not None:
            first: frozenset[str] | None = shared[0]
            blocks.append((_class_text(shared[0]) + shared[1], first))
        else:
            first = _first_set(branch)
            blocks.append((_grouped_start(branch, 3), first))
        if first is None:
            after_all = len(blocks) - 1
        else:
            for char in first:
                after_block[char] = len(blocks) - 1
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, tuple):
            parts.append(block[0])
            continue
        for chars, afters in _regroup(block):
            parts.append(_class_text(chars) + _follow(afters, depth - 1))
    return parts


def _grows_little(branch: str, entries: list[_Entry]) -> bool:
    """Whether taking the branch apart copies little of it (each first character of a
    leading group gets its own copy of what follows the group)."""
    return sum(len(after) for _, after in entries) <= _BRANCH_GROWTH * len(branch) + 400


def _shared_tail(branch: str) -> _Entry | None:
    """A branch that starts with a group, as one entry that keeps a single copy of what
    follows the group: "(?:free|discount)X" as "[fd](?:r(?<=fr)ee|i(?<=di)scount)X". Each
    choice checks, after its second character, that the first was its own; a choice of one
    character checks it at once. None for any other branch."""
    looks, rest = [], branch
    while rest.startswith(("(?=", "(?!", "(?<=", "(?<!")):
        close = group_end(rest, 0)
        looks.append(rest[: close + 1])
        rest = rest[close + 1 :]
    item, quantifier, rest = _next_item(rest)
    own = _derive_item(item, 0) if item.startswith("(?:") and not quantifier else None
    if own is None or own[1]:
        return None
    chars = frozenset().union(*(first for first, _ in own[0]))
    choices = []
    for first, after in own[0]:
        check = f"(?<={_class_text(first)})"
        derived = _derive(check + after)
        if derived is None or derived[1]:
            choices.append(check + after)
        else:
            choices.extend(_class_text(second) + tail for second, tail in derived[0])
    moved = "".join(_look_after(look, chars) for look in looks)
    return chars, moved + alternation(choices) + rest


def _first_set(branch: str) -> frozenset[str] | None:
    """Every character a match of the branch can begin with, or None (any)."""
    while branch.startswith(("(?=", "(?!", "(?<=", "(?<!")):
        branch = branch[group_end(branch, 0) + 1 :]
    derived = _derive(branch)
    if derived is None or derived[1]:
        return None
    return frozenset().union(*(chars for chars, _ in derived[0]))


def _follow(afters: list[str], depth: int) -> str:
    """What may follow a first character: the afters, in order, as one group."""
    if len(afters) == 1 or depth <= 0:
        return alternation(afters) if len(afters) > 1 else _group(afters)
    led = "(?:" + "|".join(_led(afters, depth)) + ")"
    # Taking apart copies what follows a choice once for each of its first characters;
    # where that grows the pattern much, sharing first atoms (``alternation``) is enough.
    if len(led) > _FOLLOW_GROWTH * sum(map(len, afters)) + 200:
        return alternation(afters)
    return led
