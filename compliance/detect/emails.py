"""Find email addresses in normalized text, including the disguises people use to slip
them past a filter: "jane (at) mail [dot] com", "jane at mail dot com", "j.a.n.e @ mail . com",
"jane-at-mail-dot-com", "jane at gmail", and the same in the other languages' words for "@"
and "." ("maria punto lopez arroba gmail punto com", "info (ät) firma (punkt) de").

Works on the output of compliance.detect.normalize (lower-cased, look-alikes and fullwidth
forms folded, invisible characters gone), so only ASCII shapes need matching here. The
search starts from each "at" and reads the local part backwards and the domain forwards,
which is cheaper than trying an address at every word and lets each disguise be judged on
its own. ``find_emails`` takes the words that stand for "@" and "." (the [at] and [dot]
lists of compliance/vocab/<language>/contact.txt); ``find_emails_in_languages`` reads each
language's words only where they belong (see its docstring). An address followed by a path
("brightlamps dot com/warranty" after "at") is a web address, link.external's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from compliance.detect.contact_words import (
    UNIVERSAL_AT,
    UNIVERSAL_DOT,
    any_own_at,
    contact_words,
)
from compliance.detect.domains import COMMON_TLDS, TLDS, words
from compliance.detect.language import LanguageMap
from compliance.detect.phrases import expand
from compliance.detect.vocabulary import languages

_WS = r"[^\S\n]"  # spaces and tabs, never a line break: an address does not span lines
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_OPENING_BEFORE = re.compile(rf"{_OPEN}{_WS}*\Z")
_CLOSING_AFTER = re.compile(rf"{_WS}*{_CLOSE}")


@dataclass(frozen=True)
class _Grammar:
    """The patterns of an address whose "@" and "." may be written with these words."""

    at_word: re.Pattern[str]
    dot_split: re.Pattern[str]
    host: re.Pattern[str]
    local: re.Pattern[str]


@lru_cache(maxsize=32)
def _grammar(at_words: tuple[str, ...], dot_words: tuple[str, ...]) -> _Grammar:
    at = "(?:" + "|".join(expand(word) for word in at_words) + ")"
    dot = "(?:" + "|".join(expand(word) for word in dot_words) + ")"
    # Longest forms first, so that splitting a host on the dot sees "mail . com" as one
    # separator.
    dot_forms = (
        rf"{_WS}*\.{_WS}+|{_WS}+\.{_WS}*|{_WS}*{_OPEN}{_WS}*(?:{dot}|\.){_WS}*{_CLOSE}{_WS}*"
        rf"|{_WS}+{dot}{_WS}+|[-_]{dot}[-_]|\."
    )
    label = rf"[a-z0-9]+(?:-(?!{dot}-)[a-z0-9]+)*"
    return _Grammar(
        # Where an "at" may be: every "@" (found apart), and an "at" word followed by a
        # bracket, a dash or a space.
        at_word=re.compile(rf"(?P<word>{at})(?:{_WS}*[)\]}}>]|[-_]|{_WS}+(?=[a-z0-9]))"),
        dot_split=re.compile(dot_forms),
        host=re.compile(rf"{label}(?:(?:{dot_forms}){label})*"),
        # The local part, read backwards from the "at": ends exactly where the "at" starts.
        local=re.compile(
            rf"(?<![a-z0-9_%+\-.])[a-z0-9](?:[a-z0-9_%+\-]|(?:\.|{_WS}+{dot}{_WS}+"
            rf"|{_WS}*{_OPEN}{_WS}*(?:{dot}|\.){_WS}*{_CLOSE}{_WS}*)(?=[a-z0-9]))*\Z"
        ),
    )


# "j a n e at ..." : single characters spaced out before a one-character local part.
_SPACED_OUT = re.compile(r"(?<![a-z0-9])(?:[a-z0-9][ ._-]){2,}\Z")
_WEBMAIL = re.compile(
    r"(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|protonmail|aol|gmx|yandex|libero"
    r"|virgilio|wanadoo|laposte|t-online|freenet|posteo)(?![a-z0-9])"
)
_ADDRESS_LIKE = re.compile(r"[0-9._+%-]")
_EMAIL_CUE = re.compile(r"\b(?:e-?mail|mail|address|contact|reach|write|inbox)\b")
# "the manual at example dot com": a word after one of these is a thing, not a mailbox name.
_DETERMINER_BEFORE = re.compile(
    r"(?<![a-z0-9])(?:the|our|my|your|his|her|their|its|this|that|these|those)"
    rf"{_WS}+\Z"
)

# Words that stand before "at" in ordinary sentences ("look at example.com", "available at
# shop.com"): with a plain-word "at" they are not taken for the name in an address.
_PROSE_BEFORE_AT = words("""
a am an and are arrive arrived arrives arriving as at available be been being bought but
by check come delivered did do does done email ever find for found from get go going got
had has have he her here him his i im is it its just look looked looking looks mail me
meet more my not now of on only or our ours out pick picked placed priced see seen sell
selling she shop shopped shopping so sold stay still that the them then there these they
this those to today us visit was we were what when where which who will with you your
""")


@lru_cache(maxsize=512)
def find_emails(
    text: str,
    at_words: tuple[str, ...] = UNIVERSAL_AT,
    dot_words: tuple[str, ...] = UNIVERSAL_DOT,
) -> tuple[tuple[int, int], ...]:
    """Spans of text (already normalized) that are email addresses, in order.

    ``at_words`` and ``dot_words`` are the words that may stand for "@" and "." (regular
    expression fragments, as in the [at] and [dot] lists of compliance/vocab/*/contact.txt).
    """
    grammar = _grammar(at_words, dot_words)
    found: list[tuple[int, int]] = []
    for start, end, form in sorted(_at_signs(text, grammar)):
        if found and start < found[-1][1]:
            continue
        span = _address_around(text, start, end, form, grammar)
        if span is not None:
            found.append(span)
    return tuple(found)


@lru_cache(maxsize=256)
def find_emails_in_languages(text: str, language_map: LanguageMap) -> tuple[tuple[int, int], ...]:
    """Spans of addresses in normalized text. "at" and "dot" are read everywhere; each
    language's other words for them ("arroba", "punkt", "chiocciola") in text written in
    that language, or in an address written with that language's own word for "@"."""
    found = language_map.found
    single = found[0] if len(found) == 1 else None
    spans = [] if single else list(find_emails(text))
    others = any_own_at().search(text) is not None  # another language's word for "@"
    for language in languages():
        words = contact_words(language)
        known = language in found
        if not known and not (others and words.own_at.search(text)):
            continue
        at_words = tuple(dict.fromkeys((*UNIVERSAL_AT, *words.at_words)))
        dot_words = tuple(dict.fromkeys((*UNIVERSAL_DOT, *words.dot_words)))
        for start, end in find_emails(text, at_words, dot_words):
            own = known and language_map.covers(language, start)
            if own or words.own_at.search(text, start, end):
                spans.append((start, end))
    return tuple(_merged(spans))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _at_signs(text: str, grammar: _Grammar) -> list[tuple[int, int, str]]:
    """(start, end, form) of each "at", spaces around it included; form is one of
    symbol ("@"), bracket ("(at)", "[@]"), dashed ("-at-") or word (" at ")."""
    signs: list[tuple[int, int, str]] = []
    position = text.find("@")
    while position >= 0:
        opening = _OPENING_BEFORE.search(text, max(0, position - 8), position)
        closing = _CLOSING_AFTER.match(text, position + 1)
        if opening is not None and closing is not None:
            signs.append(_widened(text, opening.start(), closing.end(), "bracket"))
        else:
            signs.append(_widened(text, position, position + 1, "symbol"))
        position = text.find("@", position + 1)
    for match in grammar.at_word.finditer(text):
        start, end = match.start(), match.end()
        word_end = match.end("word")
        tail = text[word_end]
        before = text[start - 1] if start else ""
        if before.isalnum():
            continue  # inside a word: "chat", "format"
        if tail in "-_":
            if before == tail and start >= 2 and text[start - 2].isalnum():
                signs.append((start - 1, end, "dashed"))
        elif not tail.isspace() or match.group(0).rstrip()[-1] in ")]}>":
            opening = _OPENING_BEFORE.search(text, max(0, start - 8), start)
            if opening is not None:
                signs.append(_widened(text, opening.start(), end, "bracket"))
        elif before in " \t" and before:
            widened = _widened(text, start - 1, end, "word")
            if widened[0] and text[widened[0] - 1].isalnum():
                signs.append(widened)
    return signs


def _widened(text: str, start: int, end: int, form: str) -> tuple[int, int, str]:
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    while end < len(text) and text[end] in " \t":
        end += 1
    return start, end, form


def _address_around(
    text: str, at_start: int, at_end: int, form: str, grammar: _Grammar
) -> tuple[int, int] | None:
    end = _domain_end(text, at_end, form, grammar)  # first: most "at"s in prose have no domain
    if end is None:
        return None
    if text[end : end + 1] == "/":
        return None  # "the manual at example dot com/warranty": a web address with a path
    local = grammar.local.search(text, max(0, at_start - 80), at_start)
    if local is None:
        return None
    local_text, start = local.group(0), local.start()
    spaced = _SPACED_OUT.search(text, max(0, start - 80), start) if len(local_text) == 1 else None
    if spaced is not None:
        start = spaced.start()
    elif form == "word" and not _believable_word_form(
        text, start, at_end, end, local_text, grammar
    ):
        return None
    return start, end


def _believable_word_form(
    text: str, start: int, at_end: int, end: int, local: str, grammar: _Grammar
) -> bool:
    """Whether "name at host.com" is an address rather than a sentence ("deals at shop.com").

    With the "at" and every dot written plainly, it takes something more: a name that looks
    like an address's (digits, dots, underscores), a webmail host, or a word like "email"
    just before it. A name after "the", "our", "my" is a thing ("the manual at ...").
    """
    if local in _PROSE_BEFORE_AT or len(local) < 2:
        return False
    if text[start:at_end].split()[-1:] == ["at"] and _DETERMINER_BEFORE.search(
        text, max(0, start - 8), start
    ):
        return False  # English: "the manual at ..."
    if any(sep.group(0) != "." for sep in grammar.dot_split.finditer(text, at_end, end)):
        return True  # "jane at mail dot com": the dot is disguised too
    return bool(
        _ADDRESS_LIKE.search(local)
        or _WEBMAIL.match(text, at_end)
        or _EMAIL_CUE.search(text, max(0, start - 30), start)
    )


def _domain_end(text: str, pos: int, form: str, grammar: _Grammar) -> int | None:
    """Where the domain starting at pos ends, or None if there is no believable domain."""
    host = grammar.host.match(text, pos)
    if host is not None:
        end = _host_end(host.group(0), form, grammar)
        if end is not None:
            return pos + end
    webmail = _WEBMAIL.match(text, pos)
    return webmail.end() if webmail is not None else None


def _host_end(host: str, form: str, grammar: _Grammar) -> int | None:
    """Length of the longest leading part of host that ends in a real TLD, if any."""
    if form == "word" and host.startswith("www"):
        return None  # "look at www.example.com" is a sentence about a website
    separators = list(grammar.dot_split.finditer(host))
    for count in range(len(separators), 0, -1):
        last = separators[count - 1]
        next_sep = separators[count].start() if count < len(separators) else len(host)
        tld = host[last.end() : next_sep]
        used = [s.group(0) for s in separators[:count]]
        if _believable(tld, used, form):
            return next_sep
    return None


def _believable(tld: str, separators: list[str], form: str) -> bool:
    if tld not in TLDS:
        return False
    plain = form == "symbol" and all(sep == "." for sep in separators)
    if plain:
        return True
    # A dot with a space on one side is how sentences end ("at noon. It"): only trust it
    # with a real "@" and a common ending ("j.a.n.e @ mail . com").
    spaced = any(sep.strip() == "." and sep != "." for sep in separators)
    if spaced:
        return form in {"symbol", "bracket"} and tld in COMMON_TLDS
    return True
