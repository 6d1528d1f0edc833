"""The "[Important]" mark in a subject, in each of the marketplace's languages.

POLICY.md lets a seller's message marked "[Important]" reach a buyer who opted out of
unsolicited messages. Sellers write the mark in their own language ("[Wichtig]",
"[Importante]"), so delivery (the exemption) and type.important_misuse (the check that the
mark is deserved) both ask this one module, and can never disagree about what is marked.

The subject is read normalized (compliance.detect.normalize: lower case, fullwidth brackets
folded); letters may be spaced out ("[ I m p o r t a n t ]") and the brackets may be round,
angle, curly or CJK ones.
"""

from __future__ import annotations

import re

from compliance.detect.normalize import normalize

# The word for "important" in English and French, German, Spanish and Italian.
MARK_WORDS = ("important", "wichtig", "importante")
_OPEN, _CLOSE = "[\\[(<{\u3010\u3014\u300c]", "[\\])>}\u3011\u3015\u300d]"
_MARK = re.compile(
    _OPEN
    + r"\s*(?:"
    + "|".join(r"\s*".join(word) for word in sorted(MARK_WORDS, key=len, reverse=True))
    + r")\s*"
    + _CLOSE
)


def important_mark(normalized_subject: str) -> re.Match[str] | None:
    """Where the mark is in a normalized subject, or None."""
    return _MARK.search(normalized_subject)


def is_marked_important(subject: str) -> bool:
    """Whether a subject, as the seller wrote it, carries the mark."""
    return bool(subject) and important_mark(normalize(subject).text) is not None
