"""Finding many phrases in a text quickly, compiling only the phrases a text may contain.

A topic holds a few hundred phrases per language. Compiled into one regular expression
they cost hundreds of milliseconds to build, more than checking a message; so a one-off
check (``manage.py checkmessage``) would spend its time compiling. Instead each phrase is
compiled on its own, the first time a text may hold it, and a text is only read where a
phrase can start:

* Most phrases start with literal letters ("thank", "revie", "5 star"): the index keys them
  by their first one to three characters (their "heads"). One small expression of all the
  heads finds the word starts where any of them occurs; only the phrases indexed under the
  head found there are tried, in their order.
* A phrase whose start is no literal (a character class, a symbol) is tried over the whole
  text, but only when a literal it cannot match without is in the text.

Hits are like those of one alternation of all the phrases: from the start of a word to the
end of one, leftmost first, the earlier phrase first where two start together, never
overlapping. A long-running process (the web server, a worker) asks often: after a few
texts the index builds that one alternation (compliance.detect.phrases.CategoryMatcher),
which costs more to build and less to search, and answers from it from then on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from compliance.detect.phrases import CategoryMatcher

# Texts searched with the index before the whole alternation is worth building.
COMPILE_AFTER = 16
_HEAD = 5  # characters of a phrase's literal start that key the index (a space is one)
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_QUANTIFIERS = frozenset("?*+{")
_OPTIONAL = ("?", "*", "{0,", "{0}")
_END = r"(?![a-z0-9])"
_SPACES = "\\s+"  # how compliance.detect.phrases.expand writes a space


def _group_end(pattern: str, start: int) -> int:
    """Index of the ")" closing the group that opens at pattern[start]; -1 if unbalanced."""
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
    return -1


def _split_alternatives(body: str) -> list[str]:
    """A group's body split on its top-level "|"."""
    parts, depth, last, index, in_class = [], 0, 0, 0, False
    while index < len(body):
        char = body[index]
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
            parts.append(body[last:index])
            last = index + 1
        index += 1
    parts.append(body[last:])
    return parts


def _quantified_optional(rest: str) -> bool:
    return rest.startswith(_OPTIONAL)


def _skip_quantifier(rest: str) -> str:
    """rest without a leading quantifier ("?", "*", "+", "{m,n}", and a lazy "?")."""
    if rest[:1] in "?*+":
        rest = rest[1:]
    elif rest[:1] == "{":
        close = rest.find("}")
        rest = rest[close + 1 :] if close >= 0 else rest
    return rest[1:] if rest[:1] == "?" else rest


def heads(pattern: str, depth: int = 0) -> frozenset[str] | None:
    """The literal strings (up to _HEAD characters) every match of pattern starts with, or
    None when a match may start with something that is no literal."""
    if depth > 8 or not pattern:
        return None
    first = pattern[0]
    if first in _ALNUM:
        run = ""
        index = 0
        while index < len(pattern) and len(run) < _HEAD:
            if pattern[index] in _ALNUM:
                run += pattern[index]
                index += 1
            elif pattern.startswith(_SPACES, index):  # words apart: one space in the key
                run += " "
                index += len(_SPACES)
            else:
                break
        if run.endswith(" "):
            return frozenset({run.rstrip()})
        if index < len(pattern) and pattern[index] in _QUANTIFIERS:
            run = run[:-1]  # "colou?r": the "u" may be missing
            if not run:  # the very first character is quantified
                rest = _skip_quantifier(pattern[1:])
                if pattern[1:].startswith(("+", "{1")):
                    return frozenset({first})
                after = heads(rest, depth + 1)
                return None if after is None else frozenset({first, *after})
        return frozenset({run})
    if pattern.startswith("(?:"):
        close = _group_end(pattern, 0)
        if close < 0:
            return None
        rest = pattern[close + 1 :]
        optional = _quantified_optional(rest)
        rest = _skip_quantifier(rest) if rest[:1] in _QUANTIFIERS else rest
        found: set[str] = set()
        for alternative in _split_alternatives(pattern[3:close]):
            part = heads(alternative + rest, depth + 1) if alternative or rest else None
            if part is None:
                return None
            found |= part
        if optional:
            part = heads(rest, depth + 1)
            if part is None:
                return None
            found |= part
        return frozenset(found) if found else None
    if pattern.startswith("\\d"):
        rest = pattern[2:]
        if _quantified_optional(rest):
            return None
        return frozenset("0123456789")
    simple_class = _SIMPLE_CLASS.match(pattern)
    if simple_class and not _quantified_optional(pattern[simple_class.end() :]):
        return frozenset(simple_class.group(1))
    return None


_WHITESPACE = re.compile(r"\s+")
_SIMPLE_CLASS = re.compile(r"\[([^\]\\^-]+)\]")
_LITERAL_RUN = re.compile(r"(?<![\\\[])[a-z]{3,}(?![?*{])")


def pieces(pattern: str) -> list[str]:
    """The pattern as alternatives that match the same: a leading group's alternatives
    each followed by the rest (and the rest alone, if the group is optional); the pattern
    itself when it does not start with a group."""
    if not pattern.startswith("(?:"):
        return [pattern]
    close = _group_end(pattern, 0)
    if close < 0:
        return [pattern]
    rest = pattern[close + 1 :]
    if rest[:1] in _QUANTIFIERS and not _quantified_optional(rest):
        return [pattern]  # repeated: "(?:ab)+" does not split
    optional = _quantified_optional(rest)
    rest = _skip_quantifier(rest) if optional else rest
    split = [alternative + rest for alternative in _split_alternatives(pattern[3:close])]
    return [*split, rest] if optional else split


def required_literal(pattern: str) -> str:
    """A run of letters every match must contain (at the pattern's top level), or ""."""
    best = ""
    depth, index, in_class = 0, 0, False
    top: list[str] = []
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            top.append(" ")
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
        top.append(char if depth == 0 and not in_class and char not in "()" else " ")
        index += 1
    for run in _LITERAL_RUN.findall("".join(top)):
        if len(run) > len(best):
            best = run
    return best


@dataclass
class _Phrase:
    order: int
    category: str
    source: str
    needed: str = ""  # for a phrase with no literal start: a literal it always contains
    _compiled: re.Pattern[str] | None = field(default=None, repr=False)

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source + _END)
        return self._compiled


def _order(phrase: _Phrase) -> int:
    return phrase.order


class PhraseIndex:
    """Categories of phrases, found in a text; see the module docstring."""

    def __init__(self, lists: Iterable[tuple[str, str]]):
        self._lists = list(lists)
        self._searches = 0
        self._matcher: CategoryMatcher | None = None
        self._by_head: dict[str, list[_Phrase]] = {}
        self._anywhere: list[_Phrase] = []
        for order, (category, source) in enumerate(self._lists):
            found = heads(source)
            if found is not None:
                self._index(_Phrase(order, category, source), found)
                continue
            # Some alternatives of the leading group start with no literal: index the ones
            # that do, and search for the others over the whole text.
            for piece in pieces(source):
                piece_heads = heads(piece) if piece else None
                phrase = _Phrase(order, category, piece or source)
                if piece_heads is None:
                    phrase.needed = required_literal(phrase.source)
                    self._anywhere.append(phrase)
                else:
                    self._index(phrase, piece_heads)
        self._lengths = sorted({len(head) for head in self._by_head}, reverse=True)
        self._spaced = any(" " in head for head in self._by_head)
        self._starts: re.Pattern[str] | None = None
        # The last few texts searched, by identity: several rules ask about the same text.
        self._recent: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...] = ()

    def _index(self, phrase: _Phrase, found: frozenset[str]) -> None:
        for head in found:
            self._by_head.setdefault(head, []).append(phrase)

    @property
    def starts(self) -> re.Pattern[str]:
        """Where a word starts with one of the heads (zero-width matches)."""
        if self._starts is None:
            heads_ = sorted(self._by_head, key=len, reverse=True)
            alternation = "|".join(re.escape(h).replace("\\ ", r"\s+") for h in heads_) or "(?!)"
            self._starts = re.compile(r"(?<![a-z0-9])(?=" + alternation + ")")
        return self._starts

    def hits(self, text: str) -> tuple[tuple[str, int, int], ...]:
        """(category, start, end) of each phrase found; see the module docstring."""
        if self._matcher is not None:
            return self._matcher.hits(text)
        for known, earlier in self._recent:
            if known is text:
                return earlier
        self._searches += 1
        if self._searches > COMPILE_AFTER:
            self._matcher = CategoryMatcher.build(self._lists)
            return self._matcher.hits(text)
        candidates: list[tuple[int, int, int, str]] = []  # start, order, end, category
        if self._by_head:
            by_head = self._by_head
            spaced = self._spaced
            for start_match in self.starts.finditer(text):
                position = start_match.start()
                window = text[position : position + _HEAD]
                if spaced and not window.isalnum():
                    # Heads say " " for any run of whitespace: read the text the same way.
                    window = _WHITESPACE.sub(" ", text[position : position + 4 * _HEAD])
                here: list[_Phrase] = []
                for length in self._lengths:
                    here.extend(by_head.get(window[:length], ()))
                if len(here) > 1:
                    here.sort(key=_order)
                for phrase in here:  # the earlier phrase first, as in one alternation
                    match = phrase.compiled.match(text, position)
                    if match:
                        candidates.append((position, phrase.order, match.end(), phrase.category))
                        break
        for phrase in self._anywhere:
            if phrase.needed and phrase.needed not in text:
                continue
            for match in phrase.compiled.finditer(text):
                start = match.start()
                if start and text[start - 1] in _ALNUM and text[start] in _ALNUM:
                    continue  # a hit starts at the start of a word
                if match.end() > start:
                    candidates.append((start, phrase.order, match.end(), phrase.category))
        candidates.sort()
        found: list[tuple[str, int, int]] = []
        reached = -1
        for start, _rank, end, category in candidates:
            if start >= reached:
                found.append((category, start, end))
                reached = end
        result = tuple(found)
        self._recent = ((text, result), *self._recent[:3])
        return result
