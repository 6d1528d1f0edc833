"""Find email addresses in normalized text, including the disguises people use to slip
them past a filter: "jane (at) mail [dot] com", "jane at mail dot com", "j.a.n.e @ mail . com",
"jane-at-mail-dot-com", "jane at gmail".

Works on the output of compliance.detect.normalize (lower-cased, look-alikes and fullwidth
forms folded, invisible characters gone), so only ASCII shapes need matching here. The
search starts from each "at" and reads the local part backwards and the domain forwards,
which is cheaper than trying an address at every word and lets each disguise be judged on
its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compliance.detect.domains import COMMON_TLDS, TLDS, words

_WS = r"[^\S\n]"  # spaces and tabs, never a line break: an address does not span lines
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"

# Where an "at" may be: every "@", and "at" followed by a bracket, a dash or a space. Both
# start with a literal, which lets the regex engine skip through ordinary text quickly.
_AT_WORD = re.compile(r"at(?:[^\S\n]*[)\]}>]|[-_]|[^\S\n]+(?=[a-z0-9]))")
_OPENING_BEFORE = re.compile(rf"{_OPEN}{_WS}*\Z")
_CLOSING_AFTER = re.compile(rf"{_WS}*{_CLOSE}")
# Longest forms first, so that splitting a host on _DOT sees "mail . com" as one separator.
_DOT = (
    rf"{_WS}*\.{_WS}+|{_WS}+\.{_WS}*|{_WS}*{_OPEN}{_WS}*(?:dot|\.){_WS}*{_CLOSE}{_WS}*"
    rf"|{_WS}+dot{_WS}+|[-_]dot[-_]|\."
)
_DOT_SPLIT = re.compile(_DOT)
_LABEL = r"[a-z0-9]+(?:-(?!dot-)[a-z0-9]+)*"
_HOST = re.compile(rf"{_LABEL}(?:(?:{_DOT}){_LABEL})*")
# The local part, read backwards from the "at": ends exactly where the "at" starts.
_LOCAL = re.compile(
    rf"(?<![a-z0-9_%+\-.])[a-z0-9](?:[a-z0-9_%+\-]|(?:\.|{_WS}+dot{_WS}+"
    rf"|{_WS}*{_OPEN}{_WS}*(?:dot|\.){_WS}*{_CLOSE}{_WS}*)(?=[a-z0-9]))*\Z"
)
# "j a n e at ..." : single characters spaced out before a one-character local part.
_SPACED_OUT = re.compile(r"(?<![a-z0-9])(?:[a-z0-9][ ._-]){2,}\Z")
_WEBMAIL = re.compile(
    r"(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|protonmail|aol|gmx|yandex)(?![a-z0-9])"
)
_ADDRESS_LIKE = re.compile(r"[0-9._+%-]")
_EMAIL_CUE = re.compile(r"\b(?:e-?mail|mail|address|contact|reach|write|inbox)\b")

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
def find_emails(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of text (already normalized) that are email addresses, in order."""
    found: list[tuple[int, int]] = []
    for start, end, form in sorted(_at_signs(text)):
        if found and start < found[-1][1]:
            continue
        span = _address_around(text, start, end, form)
        if span is not None:
            found.append(span)
    return tuple(found)


def _at_signs(text: str) -> list[tuple[int, int, str]]:
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
    for match in _AT_WORD.finditer(text):
        start, end = match.start(), match.end()
        tail = text[start + 2]
        before = text[start - 1] if start else ""
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


def _address_around(text: str, at_start: int, at_end: int, form: str) -> tuple[int, int] | None:
    end = _domain_end(text, at_end, form)  # first: most "at"s in prose have no domain
    if end is None:
        return None
    local = _LOCAL.search(text, max(0, at_start - 80), at_start)
    if local is None:
        return None
    local_text, start = local.group(0), local.start()
    spaced = _SPACED_OUT.search(text, max(0, start - 80), start) if len(local_text) == 1 else None
    if spaced is not None:
        start = spaced.start()
    elif form == "word" and not _believable_word_form(text, start, at_end, end, local_text):
        return None
    return start, end


def _believable_word_form(text: str, start: int, at_end: int, end: int, local: str) -> bool:
    """Whether "name at host.com" is an address rather than a sentence ("deals at shop.com").

    With the "at" and every dot written plainly, it takes something more: a name that looks
    like an address's (digits, dots, underscores), a webmail host, or a word like "email"
    just before it.
    """
    if local in _PROSE_BEFORE_AT or len(local) < 2:
        return False
    if any(sep.group(0) != "." for sep in _DOT_SPLIT.finditer(text, at_end, end)):
        return True  # "jane at mail dot com": the dot is disguised too
    return bool(
        _ADDRESS_LIKE.search(local)
        or _WEBMAIL.match(text, at_end)
        or _EMAIL_CUE.search(text, max(0, start - 30), start)
    )


def _domain_end(text: str, pos: int, form: str) -> int | None:
    """Where the domain starting at pos ends, or None if there is no believable domain."""
    host = _HOST.match(text, pos)
    if host is not None:
        end = _host_end(host.group(0), form)
        if end is not None:
            return pos + end
    webmail = _WEBMAIL.match(text, pos)
    return webmail.end() if webmail is not None else None


def _host_end(host: str, form: str) -> int | None:
    """Length of the longest leading part of host that ends in a real TLD, if any."""
    if form == "word" and host.startswith("www"):
        return None  # "look at www.example.com" is a sentence about a website
    separators = list(_DOT_SPLIT.finditer(host))
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
