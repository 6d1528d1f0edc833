"""Find mail and messaging-app accounts handed over without an address: "my gmail is
janedoe88", "mi hotmail es maria.lopez", "add me on telegram @janedoe", "WeChat ID: jane_88".

The [webmail] and [messenger] phrases of every language (compliance/vocab/*/contact.txt)
say that an account name follows; the name itself must look like one (an "@" in front, a
digit, a dot or an underscore in it), or be given on its own after a colon
("Telegram: janedoe"). A name written as a whole address is left to the email search.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from compliance.detect.contact_words import handle_keys, handle_phrases
from compliance.detect.vocabulary import languages, topic

_WS = r"[^\S\n]"
_HANDLE = re.compile(
    rf"{_WS}*(?P<colon>[:=]|-(?=\s))?{_WS}*"
    r"(?P<handle>@?[a-z0-9](?:[a-z0-9._\-]{0,40}[a-z0-9_])?)(?![a-z0-9@._\-]*[a-z0-9@])"
)
# What makes a word an account name: a digit, a dot or an underscore in it. (A dash does not:
# "écrivez-nous", "peut-être".)
_ACCOUNT_LIKE = re.compile(r"[0-9._]")
# After a name given on its own: the end of the sentence, the line or the text.
_ALONE_AFTER = re.compile(rf"{_WS}*(?:[.,;!?)\]]|\n|\Z)")


@cache
def _function_words() -> frozenset[str]:
    return frozenset(
        word for language in languages() for word in topic(language, "stopwords").get("function")
    )


def _phrases(text: str) -> list[re.Match[str]]:
    """The [webmail] and [messenger] phrases in text, searched only around the names of
    providers and apps (most texts name none)."""
    phrases: dict[tuple[int, int], re.Match[str]] = {}
    key_words = handle_keys()[1]
    cursor = 0
    for key in key_words.finditer(" " + text):
        # key.start() is where the name starts in text: " " shifts every offset by one.
        lo = max(cursor, key.start() - _BEFORE_KEY)
        hi = min(len(text), key.end() - 1 + _AFTER_KEY)
        for phrase in handle_phrases().finditer(text, lo, hi):
            phrases.setdefault(phrase.span(), phrase)
        cursor = max(cursor, key.start())
    return [phrases[span] for span in sorted(phrases)]


_BEFORE_KEY, _AFTER_KEY = 70, 30  # the longest phrases run this far around the name


@lru_cache(maxsize=512)
def find_handles(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, kind) of each account name in text (already normalized); kind is
    "webmail" or "messenger"."""
    found: list[tuple[int, int, str]] = []
    for phrase in _phrases(text):
        match = _HANDLE.match(text, phrase.end())
        if match is None:
            continue
        handle = match.group("handle")
        name = handle.lstrip("@")
        if len(name) < 3 or not any(ch.isalpha() for ch in name):
            continue  # a number is the phone search's business
        at_sign = handle.startswith("@")
        explicit = bool(match.group("colon")) or phrase.group(0).rstrip()[-1:] in ":="
        if not (at_sign or _ACCOUNT_LIKE.search(name)):
            if not explicit or name in _function_words() or len(name) < 4:
                continue
            if not _ALONE_AFTER.match(text, match.end()):
                continue
        found.append((match.start("handle"), match.end("handle"), phrase.lastgroup or ""))
    return tuple(found)
