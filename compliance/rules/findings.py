"""What several rule files share; this module registers no rule itself.

The phrase rules (review.manipulation, promo.marketing, link.optout, content.inappropriate,
type.important_misuse) search the normalized text, so fullwidth, look-alike and
invisible-character disguises are already undone, with one precompiled alternation from
compliance.detect.phrases, and map every hit back to the words as written. ``Hit`` and the
functions below do that searching, and turn the hits into a few findings that quote the
sender's words.

The rules about a message's circumstances (window.proactive, review.window, type.daily_cap,
seller.restricted) share which message types count as proactive and how days are counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import timedelta

from compliance.detect.normalize import Normalized
from compliance.detect.phrases import CategoryMatcher, expand, matchable
from compliance.engine import Finding, RuleContext
from compliance.message_types import TypeGroup

_MAX_FINDINGS = 5  # per rule and message: enough to show the problem, not a wall of text
_MAX_HITS = 40

# Message types a seller sends on their own initiative, which the window, the daily cap
# and a restriction limit.
PROACTIVE_GROUPS = {TypeGroup.PROACTIVE, TypeGroup.OTHER}


class Hit:
    """One phrase found in the subject or the body."""

    __slots__ = ("category", "end", "location", "norm", "searched", "start", "text")

    def __init__(
        self,
        location: str,
        category: str,
        text: str,
        norm: Normalized,
        searched: str,
        start: int,
        end: int,
    ):
        self.location, self.category, self.text, self.norm = location, category, text, norm
        self.searched, self.start, self.end = searched, start, end

    def finding(self, rule_id: str, messages: dict[str, str]) -> Finding:
        """A finding whose message quotes the words as written."""
        lo, hi = self.norm.source_span(self.start, self.end)
        written = self.text[lo:hi].strip()
        return Finding(
            rule_id,
            messages[self.category].format(quote(written)),
            written,
            self.location,
            (lo, hi),
        )


def sources(ctx: RuleContext) -> Iterator[tuple[str, str, Normalized, str]]:
    """(location, text as written, normalized, text to search) for subject and body."""
    for location, text, norm in ctx.texts():
        yield location, text, norm, matchable(norm.text)


def hits(ctx: RuleContext, matcher: CategoryMatcher) -> Iterator[Hit]:
    for location, text, norm, searched in sources(ctx):
        for category, start, end in matcher.hits(searched):
            yield Hit(location, category, text, norm, searched, start, end)


def mentions(ctx: RuleContext, keys: Iterable[str]) -> bool:
    """Whether subject or body contains any of the keys; far cheaper than a regex scan."""
    return any(any(map(searched.__contains__, keys)) for *_, searched in sources(ctx))


def quote(excerpt: str, limit: int = 60) -> str:
    excerpt = " ".join(excerpt.split())
    return excerpt if len(excerpt) <= limit else excerpt[: limit - 1].rstrip() + "…"


def reported(hits: Iterable[Hit], rule_id: str, messages: dict[str, str]) -> Iterator[Finding]:
    """A finding for each different phrase found, at most _MAX_FINDINGS of them."""
    seen: set[tuple[str, str]] = set()
    for count, hit in enumerate(hits):
        if count == _MAX_HITS:
            return  # a message repeating itself: what was found already says enough
        key = (hit.location, hit.searched[hit.start : hit.end])
        if key in seen:
            continue
        seen.add(key)
        yield hit.finding(rule_id, messages)
        if len(seen) >= _MAX_FINDINGS:
            return


def distinct(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Findings without repeats of the same words, at most _MAX_FINDINGS of them."""
    seen: set[tuple[str, str]] = set()
    for finding in findings:
        key = (finding.location, finding.excerpt.lower())
        if key in seen:
            continue
        seen.add(key)
        yield finding
        if len(seen) >= _MAX_FINDINGS:
            return


def word_pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + expand(words) + r")(?![a-z])")


def in_days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400
