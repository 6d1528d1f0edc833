"""Finding many phrases in a text quickly: a phrase is only tried on a text that holds one
of its words.

A topic holds a few hundred phrases per language, most of which a given message cannot
contain. Tried one by one, or compiled into one alternation, they cost milliseconds per
message. But almost every phrase has a word it cannot match without: "5 stars" needs a word
starting "star", "(?:leave|give) us a review" needs one starting "leav" or "give". Those
starts are the phrase's *anchors*, worked out once from the pattern. A text is split into
its words once; a phrase is tried only if one of its anchors starts one of them (a set
lookup), and it is compiled the first time that happens.

A phrase with no anchor at the start of a word falls back to a letter run it must contain
anywhere ("[a-z]*strasse" needs "stras"), checked with ``in``; a phrase with neither is
tried on every text (``PhraseIndex.unanchored`` lists them, and the vocabulary tests keep
them few).

Hits are those of one alternation of all the phrases: each from the start of a word to the
end of one, leftmost first, the earlier phrase first where two start together, never
overlapping. The anchors only decide which phrases are tried, never what they match, so
the answer for a text does not depend on what was searched before.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from compliance.detect.phrases import CategoryMatcher, group_end, top_level_split

_KEY = 4  # letters of a word start that key the anchors
# Texts searched phrase by phrase before the whole alternation is worth compiling.
COMPILE_AFTER = 8
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_TOKEN = re.compile(r"[a-z0-9]+")
_END = r"(?![a-z0-9])"
# Pattern pieces that match one or more characters that are not letters or digits.
_SEPARATORS = ("\\s+", "\\s", " ", "-", ",", "\\.", "/", "'", "\\-")


@dataclass(frozen=True)
class _Item:
    """One top-level piece of a pattern: its text, its quantifier, and what it is."""

    text: str
    quantifier: str
    kind: str  # "literal", "escape", "class", "group", "look", "anchor"

    @property
    def optional(self) -> bool:
        q = self.quantifier
        return q.startswith(("?", "*")) or q.startswith("{0")


def _class_end(pattern: str, start: int) -> int:
    index = start + 1
    if pattern[index : index + 1] == "^":
        index += 1
    if pattern[index : index + 1] == "]":
        index += 1
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 2
            continue
        if pattern[index] == "]":
            return index
        index += 1
    raise ValueError(f"unbalanced class in {pattern!r}")


def _quantifier_at(pattern: str, index: int) -> str:
    if index >= len(pattern):
        return ""
    if pattern[index] in "?*+":
        end = index + 1
    elif pattern[index] == "{" and re.match(r"\{\d*(,\d*)?\}", pattern[index:]):
        end = pattern.index("}", index) + 1
    else:
        return ""
    if pattern[end : end + 1] in ("?", "+"):
        end += 1  # lazy or possessive
    return pattern[index:end]


def _items(pattern: str) -> list[_Item]:
    """The top-level pieces of a pattern with no top-level "|"."""
    items: list[_Item] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            text, kind = pattern[index : index + 2], "escape"
            index += 2
        elif char == "[":
            end = _class_end(pattern, index)
            text, kind = pattern[index : end + 1], "class"
            index = end + 1
        elif char == "(":
            end = group_end(pattern, index)
            text = pattern[index : end + 1]
            kind = "look" if text.startswith(("(?=", "(?!", "(?<=", "(?<!")) else "group"
            index = end + 1
        elif char in "^$":
            text, kind = char, "anchor"
            index += 1
        else:
            text, kind = char, "literal"
            index += 1
        quantifier = _quantifier_at(pattern, index)
        index += len(quantifier)
        items.append(_Item(text, quantifier, kind))
    return items


def _alternatives(group: str) -> list[str]:
    """A group's body split on its top-level "|" (a group "(?:...)", "(?P<n>...)" or "(...)")."""
    if group.startswith("(?:"):
        body = group[3:-1]
    elif group.startswith("(?P<"):
        body = group[group.index(">") + 1 : -1]
    elif group.startswith("(?"):
        raise ValueError(f"unsupported group {group!r}")
    else:
        body = group[1:-1]
    return top_level_split(body)


def _ends_apart(item: _Item, depth: int = 0) -> bool:
    """Whether text matched by the item always ends with a character that is no letter or
    digit (so the next piece starts a word)."""
    if item.optional:
        return False
    if item.kind == "group" and depth < 6:
        try:
            return all(
                _sequence_ends_apart(alternative, depth + 1)
                for alternative in _alternatives(item.text)
            )
        except ValueError:
            return False
    return item.text in _SEPARATORS


def _sequence_ends_apart(pattern: str, depth: int) -> bool:
    items = [item for item in _items(pattern) if item.kind != "look"]
    return bool(items) and _ends_apart(items[-1], depth)


Requirement = frozenset[str]  # word starts, one of which a match must have


def _strength(requirement: Requirement, common: frozenset[str]) -> tuple[bool, int, int]:
    """Keys that are no common word filter best, then longer keys, then fewer of them."""
    return (
        not (requirement & common),
        min(map(len, requirement)),
        -len(requirement),
    )


def requirements(
    pattern: str, common: frozenset[str] = frozenset(), at_word_start: bool = True, depth: int = 0
) -> list[Requirement]:
    """What every match of the pattern must hold: for each requirement, a word of the text
    starting with one of its keys (the first _KEY letters of a word, or the whole word if
    shorter). ``at_word_start``: the pattern begins at the start of a word of the text."""
    if depth > 6:
        return []
    alternatives = top_level_split(pattern)
    if len(alternatives) > 1:
        either = _either(alternatives, common, at_word_start, depth)
        return [either] if either else []
    found: list[Requirement] = []
    start = at_word_start
    items = _items(pattern)
    index = 0
    while index < len(items):
        item = items[index]
        if item.kind in ("look", "anchor"):
            index += 1
            continue
        if item.kind == "literal" and item.text in _ALNUM and start and not item.optional:
            run = ""
            while index < len(items) and len(run) < _KEY:
                current = items[index]
                if current.kind != "literal" or current.text not in _ALNUM or current.optional:
                    break
                run += current.text
                index += 1
                if current.quantifier:  # "s+": more of it may follow
                    break
            found.append(frozenset({run}))
            start = False
            while (
                index < len(items)
                and items[index].kind == "literal"
                and items[index].text in _ALNUM
            ):
                index += 1  # the rest of the word
            continue
        if item.kind == "group" and not item.optional:
            try:
                either = _either(_alternatives(item.text), common, start, depth)
            except ValueError:
                either = None
            if either:
                found.append(either)
        if item.optional:
            start = start and _ends_apart(_Item(item.text, "", item.kind), depth)
        else:
            start = _ends_apart(item, depth)
        index += 1
    return found


def _either(
    alternatives: list[str], common: frozenset[str], at_word_start: bool, depth: int
) -> Requirement | None:
    """The requirement of a choice: each alternative's strongest, together."""
    keys: set[str] = set()
    for alternative in alternatives:
        own = requirements(alternative, common, at_word_start, depth + 1)
        if not own:
            return None
        strongest: Requirement = max(own, key=lambda requirement: _strength(requirement, common))
        keys |= strongest
    return frozenset(keys)


@dataclass(frozen=True)
class Anchors:
    """What a text must contain for a phrase to match: for each of ``needed``, a word
    starting with one of its keys (the first is the one the index files it under); or,
    when there are none, the letters ``inside`` anywhere."""

    needed: tuple[Requirement, ...] = ()
    inside: str = ""


def required_inside(pattern: str) -> str:
    """The longest run of letters every match contains somewhere (top level only), or ""."""
    if len(top_level_split(pattern)) > 1:
        return ""
    longest, run = "", ""
    for item in _items(pattern):
        if item.kind == "look":
            continue  # zero-width: the letters on either side stay together
        if item.kind == "literal" and item.text in _ALNUM and not item.optional:
            run += item.text
            if not item.quantifier:
                continue
        longest, run = max(longest, run, key=len), ""
    longest = max(longest, run, key=len)
    return longest if len(longest) >= 3 else ""


def anchors(pattern: str, common: frozenset[str] = frozenset()) -> Anchors:
    """The anchors of a phrase (see the module docstring); empty when there are none.
    ``common``: word starts of the language's commonest words, the weakest keys."""
    try:
        needed = requirements(pattern, common)
        if needed:
            needed.sort(key=lambda requirement: _strength(requirement, common), reverse=True)
            return Anchors(needed=tuple(needed))
        return Anchors(inside=required_inside(pattern))
    except ValueError:
        return Anchors()  # a construct this reading does not know: tried on every text


_MAX_HEADS = 400
_HEAD_TEXT = 8  # characters of a phrase's literal start checked where a head is found
SYMBOL = "\x00"  # marks a key that is one character other than a letter or digit


def heads(pattern: str, depth: int = 0) -> frozenset[str] | None:
    """The word starts (keys, as in ``requirements``) every match of the pattern begins
    with, or None when a match may begin with something else. The pattern begins at the
    start of a word of the text."""
    if depth > 8:
        return None
    alternatives = top_level_split(pattern)
    if len(alternatives) > 1:
        return _union(heads(alternative, depth + 1) for alternative in alternatives)
    items = _items(pattern)
    for index, item in enumerate(items):
        if item.kind in ("look", "anchor"):
            continue
        rest = "".join(later.text + later.quantifier for later in items[index + 1 :])
        if item.kind == "literal" and item.text in _ALNUM and not item.optional:
            return frozenset({_literal_start(items[index:])})
        if item.kind == "group":
            # Whatever the quantifier, a match begins with one of the group's choices (then
            # more rounds or the rest), or, when it may be left out, with the rest.
            try:
                choices = _alternatives(item.text)
            except ValueError:
                return None
            found = _union(heads(choice + rest, depth + 1) for choice in choices)
        else:
            found = _first_characters(item)
        if found is not None and item.optional:
            found = _union([found, heads(rest, depth + 1)])
        return found
    return None


def _literal_start(items: list[_Item]) -> str:
    """The letters (and the symbols after them, as in "a+") a run of literals begins with,
    up to _HEAD_TEXT characters."""
    text = ""
    for item in items:
        if item.optional or len(text) == _HEAD_TEXT:
            break
        if item.kind == "literal" and item.text not in "^$.|":
            char = item.text
        elif item.kind == "escape" and not item.text[1].isalnum():
            char = item.text[1]
        else:
            break
        if char not in _ALNUM and text == "":
            break
        text += char
        if item.quantifier:
            break  # "s+": more of it may follow
    return text


def _first_characters(item: _Item) -> frozenset[str] | None:
    """Keys for one character: itself if a letter or digit, SYMBOL + itself if not."""
    if item.kind == "literal":
        chars: set[str] | None = {item.text}
    elif item.kind == "escape":
        if item.text == "\\d":
            chars = set("0123456789")
        elif not item.text[1].isalnum():
            chars = {item.text[1]}
        else:
            chars = None  # \s, \w, \b: no particular character
    elif item.kind == "class":
        chars = _class_characters(item.text)
    else:
        chars = None
    if chars is None:
        return None
    return frozenset(char if char in _ALNUM else SYMBOL + char for char in chars)


def _class_characters(text: str) -> set[str] | None:
    """The characters of a plain class such as "[1-5]" or "[$€£]"; None for a negated
    class or one holding escapes."""
    body = text[1:-1]
    if body.startswith("^") or "\\" in body:
        return None
    chars: set[str] = set()
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            low, high = body[index], body[index + 2]
            if ord(high) - ord(low) > 64:
                return None
            chars |= {chr(code) for code in range(ord(low), ord(high) + 1)}
            index += 3
        else:
            chars.add(body[index])
            index += 1
    return chars


def _union(parts: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    keys: set[str] = set()
    for part in parts:
        if part is None:
            return None
        keys |= part
        if len(keys) > _MAX_HEADS:
            return None
    return frozenset(keys)


@dataclass
class _Phrase:
    order: int
    category: str
    source: str
    heads: frozenset[str] | None = None  # where every match begins; None: anywhere
    _compiled: re.Pattern[str] | None = field(default=None, repr=False)

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile("(?:" + self.source + ")" + _END)
        return self._compiled

    def hits(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, category) of the match at each start of a word where the phrase
        matches (they may overlap: merge_hits chooses)."""
        if self.heads is not None:
            yield from self._hits_at_heads(text)
            return
        search = self.compiled.search
        position = 0
        while position <= len(text):
            match = search(text, position)
            if match is None:
                return
            start, end = match.span()
            if end == start or (start and text[start - 1] in _ALNUM):
                position = start + 1  # not at the start of a word: look further on
                continue
            yield start, end, self.category
            position = start + 1  # a later start may still win where this one loses

    def _hits_at_heads(self, text: str) -> Iterator[tuple[int, int, str]]:
        """The same, trying the pattern only where the text begins as a match must."""
        words = _words_of(text)
        keys, longer, symbols = self._head_keys
        starts: set[int] = set()
        for length, wanted in enumerate(keys):
            if not wanted:
                continue
            for key in wanted & words.starts[length]:
                found = words.positions(key)
                heads = longer.get(key)
                if heads is None:
                    starts.update(found)
                else:  # the head goes on past the word's first letters: "a+", "10/10"
                    starts.update(p for p in found if any(text.startswith(h, p) for h in heads))
        for symbol in symbols:
            if symbol[1] in text:
                starts.update(words.positions(symbol))
        match_at = self.compiled.match
        for start in sorted(starts):
            match = match_at(text, start)
            if match is not None and match.end() > start:
                yield start, match.end(), self.category

    @cached_property
    def _head_keys(
        self,
    ) -> tuple[tuple[frozenset[str], ...], dict[str, tuple[str, ...]], tuple[str, ...]]:
        """The heads as word keys by length, the longer heads under their key, and the
        symbol heads."""
        assert self.heads is not None
        by_length: list[set[str]] = [set() for _ in range(_KEY + 1)]
        longer: dict[str, list[str]] = {}
        exact: set[str] = set()
        symbols: list[str] = []
        for head in self.heads:
            if head[0] == SYMBOL:
                symbols.append(head)
                continue
            key = _word_key(head)
            by_length[len(key)].add(key)
            if len(head) > len(key):
                longer.setdefault(key, []).append(head)
            else:
                exact.add(key)
        return (
            tuple(frozenset(keys) for keys in by_length),
            # A key that is also a whole head needs no further look.
            {key: tuple(heads) for key, heads in longer.items() if key not in exact},
            tuple(symbols),
        )


def _word_key(head: str) -> str:
    """The part of a head a word of the text is looked up by: its first letters."""
    end = 0
    while end < len(head) and end < _KEY and head[end] in _ALNUM:
        end += 1
    return head[:end]


class _Words:
    """The words of a text: which word starts it has (by length), and where."""

    def __init__(self, text: str):
        self._text = text
        self._tokens = [(match.start(), match.group()) for match in _TOKEN.finditer(text)]
        distinct = {token for _, token in self._tokens}
        self.starts = tuple(
            frozenset(token[:length] for token in distinct if len(token) >= length)
            for length in range(_KEY + 1)
        )
        self._positions: dict[int, dict[str, list[int]]] = {}

    def has(self, start: str) -> bool:
        if start[0] == SYMBOL:
            return start[1] in self._text
        return start in self.starts[len(start)]

    def positions(self, start: str) -> list[int]:
        """Offsets of the words that start with ``start`` (of the character, for a symbol
        key, where no letter or digit comes just before it)."""
        if start[0] == SYMBOL:
            text, char = self._text, start[1]
            return [
                offset
                for offset in _all_offsets(text, char)
                if offset == 0 or text[offset - 1] not in _ALNUM
            ]
        length = len(start)
        by_start = self._positions.get(length)
        if by_start is None:
            by_start = {}
            for offset, token in self._tokens:
                if len(token) >= length:
                    by_start.setdefault(token[:length], []).append(offset)
            self._positions[length] = by_start
        return by_start.get(start, [])


def _all_offsets(text: str, char: str) -> Iterator[int]:
    offset = text.find(char)
    while offset >= 0:
        yield offset
        offset = text.find(char, offset + 1)


_recent_words: list[tuple[str, _Words]] = []


def _words_of(text: str) -> _Words:
    """Word starts of a text; several matchers read the same text in one check."""
    for known, words in _recent_words:
        if known is text:
            return words
    words = _Words(text)
    _recent_words.insert(0, (text, words))
    del _recent_words[4:]
    return words


class PhraseIndex:
    """Categories of phrases, found in a text; see the module docstring."""

    def __init__(self, lists: Iterable[tuple[str, str]], common_words: Iterable[str] = ()):
        common = frozenset(word[:length] for word in common_words for length in range(1, _KEY + 1))
        self._by_start: dict[str, list[tuple[_Phrase, tuple[Requirement, ...]]]] = {}
        self._by_inside: dict[str, list[_Phrase]] = {}
        self.unanchored: list[_Phrase] = []
        self.phrases: list[_Phrase] = []
        for order, (category, source) in enumerate(lists):
            phrase = _Phrase(order, category, source, _safe_heads(source))
            self.phrases.append(phrase)
            found = anchors(source, common)
            if found.needed:
                first, *rest = found.needed
                for key in first:
                    self._by_start.setdefault(key, []).append((phrase, tuple(rest)))
            elif found.inside:
                self._by_inside.setdefault(found.inside, []).append(phrase)
            else:
                self.unanchored.append(phrase)
        self._keys_by_length = tuple(
            frozenset(key for key in self._by_start if len(key) == length)
            for length in range(_KEY + 1)
        )
        self._recent: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...] = ()
        self._searches = 0
        self._compiled: CategoryMatcher | None = None

    def candidates(self, text: str) -> list[_Phrase]:
        """The phrases whose anchors the text holds, in their order."""
        words = _words_of(text)
        chosen: dict[int, _Phrase] = {p.order: p for p in self.unanchored}
        for length, keys in enumerate(self._keys_by_length):
            for key in keys & words.starts[length]:
                for phrase, rest in self._by_start[key]:
                    if phrase.order not in chosen and all(
                        any(words.has(other) for other in requirement) for requirement in rest
                    ):
                        chosen[phrase.order] = phrase
        for inside, phrases in self._by_inside.items():
            if inside in text:
                for phrase in phrases:
                    chosen[phrase.order] = phrase
        return [chosen[order] for order in sorted(chosen)]

    def hits(self, text: str) -> tuple[tuple[str, int, int], ...]:
        """(category, start, end) of each phrase found; see the module docstring."""
        for known, earlier in self._recent:
            if known is text:
                return earlier
        compiled = self._compiled
        if compiled is None:
            self._searches += 1
            if self._searches == COMPILE_AFTER + 1:
                self._compile_in_background()
        if compiled is not None:
            result = compiled.hits(text)
        else:
            result = merge_hits(self.candidates(text), text)
        self._recent = ((text, result), *self._recent[:3])
        return result

    def _compile_in_background(self) -> None:
        """Build the whole alternation in a thread of its own. Compiling a large topic takes
        a second or more; meanwhile searches go on phrase by phrase, with the same answers,
        so no check ever waits for it."""

        def build() -> None:
            self._compiled = self.compiled()

        _in_background(build)

    def compiled(self) -> CategoryMatcher:
        """All the phrases as one alternation (slower to build, faster to search)."""
        return CategoryMatcher.build((phrase.category, phrase.source) for phrase in self.phrases)


class StretchSearch:
    """Whether a stretch of a text holds one of some phrases: what ``plain.search(text, lo,
    hi)`` answers, ``plain`` being the phrases behind word boundaries
    (compliance.detect.vocabulary.phrase_pattern).

    The plain pattern answers at first: it compiles in milliseconds, where the alternation
    that skips from word start to word start (CategoryMatcher.found_within) takes up to a
    few hundred, too long for a process that checks one message. Once searched often enough
    to be worth it, the alternation is built in the background and answers from then on,
    the same."""

    def __init__(self, plain: re.Pattern[str], lists: list[tuple[str, str]]):
        self._plain = plain
        self._lists = lists
        self._searches = 0
        self._compiled: CategoryMatcher | None = None

    def found_within(self, text: str, lo: int, hi: int) -> bool:
        compiled = self._compiled
        if compiled is not None:
            return compiled.found_within(text, lo, hi)
        self._searches += 1
        if self._searches == COMPILE_AFTER + 1:
            _in_background(self._compile)
        return self._plain.search(text, lo, hi) is not None

    def _compile(self) -> None:
        self._compiled = CategoryMatcher.build(self._lists)


def _in_background(build: Callable[[], None]) -> None:
    threading.Thread(target=build, name="compile-phrases", daemon=True).start()


def wait_for_compiles() -> None:
    """Wait until every alternation being compiled in the background is ready (for
    benchmarks, which measure the steady state)."""
    for thread in threading.enumerate():
        if thread.name == "compile-phrases":
            thread.join()


def _safe_heads(source: str) -> frozenset[str] | None:
    try:
        return heads(source)
    except ValueError:
        return None


def merge_hits(phrases: Iterable[_Phrase], text: str) -> tuple[tuple[str, int, int], ...]:
    """The hits of one alternation of these phrases (in order): leftmost first, the earlier
    phrase first where two start together, none overlapping."""
    candidates = sorted(
        (start, phrase.order, end, category)
        for phrase in phrases
        for start, end, category in phrase.hits(text)
    )
    found: list[tuple[str, int, int]] = []
    reached = -1
    for start, _order, end, category in candidates:
        # A hit starts after the character that ends the last one (one search, scanning
        # on from the end of the last hit, would need that character to see a word start).
        if start > reached:
            found.append((category, start, end))
            reached = end
    return tuple(found)


def reference_hits(lists: Iterable[tuple[str, str]], text: str) -> tuple[tuple[str, int, int], ...]:
    """The same hits with every phrase tried, no anchors: what the tests compare against."""
    phrases = [_Phrase(order, category, source) for order, (category, source) in enumerate(lists)]
    return merge_hits(phrases, text)
