"""What several rule files share; this module registers no rule itself.

The phrase rules (review.manipulation, promo.marketing, link.optout, content.inappropriate,
type.important_misuse) search the normalized text, so fullwidth, look-alike and
invisible-character disguises are already undone. They search it once for each language
found in it (compliance.detect.language), with that language's vocabulary
(compliance.detect.vocabulary), and keep only the hits in sentences written in that
language: a word of one language is never judged by another's list. ``Hit`` and the
functions below do that searching, map every hit back to the words as written, and turn
the hits into a few findings that quote the sender's words and name their language.

The rules about a message's circumstances (window.proactive, review.window, type.daily_cap,
seller.restricted) share which message types count as proactive and how days are counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from weakref import WeakKeyDictionary

from django.utils.functional import Promise

from compliance.detect.language import LanguageMap, function_words
from compliance.detect.normalize import Normalized
from compliance.detect.phrases import matchable
from compliance.detect.vocabulary import keys, phrase_matcher
from compliance.engine import Finding, RuleContext
from compliance.message_types import TypeGroup

_WORD = re.compile(r"[a-z]+")

_MAX_FINDINGS = 5  # per rule and message: enough to show the problem, not a wall of text
_MAX_HITS = 40

# Message types a seller sends on their own initiative, which the window, the daily cap
# and a restriction limit.
PROACTIVE_GROUPS = {TypeGroup.PROACTIVE, TypeGroup.OTHER}


class Hit:
    """One phrase found in the subject or the body, in one language."""

    __slots__ = ("category", "end", "language", "location", "norm", "searched", "start", "text")

    def __init__(
        self,
        location: str,
        category: str,
        text: str,
        norm: Normalized,
        searched: str,
        start: int,
        end: int,
        language: str,
    ):
        self.location, self.category, self.text, self.norm = location, category, text, norm
        self.searched, self.start, self.end = searched, start, end
        self.language = language

    def finding(self, rule_id: str, messages: Mapping[str, str | Promise]) -> Finding:
        """A finding whose message quotes the words as written."""
        lo, hi = self.norm.source_span(self.start, self.end)
        written = self.text[lo:hi].strip()
        return Finding(
            rule_id,
            str(messages[self.category]).format(words=quote(written)),
            written,
            self.location,
            (lo, hi),
            self.language,
        )


@dataclass(frozen=True)
class Source:
    """The subject or the body, ready to search: as written, normalized, and the
    normalized text with look-alike punctuation made ASCII (offsets unchanged)."""

    location: str
    text: str
    norm: Normalized
    searched: str
    languages: LanguageMap


_sources: WeakKeyDictionary[RuleContext, tuple[Source, ...]] = WeakKeyDictionary()


def sources(ctx: RuleContext) -> tuple[Source, ...]:
    """The subject and the body, made once per message check: each phrase rule asks for
    them several times."""
    made = _sources.get(ctx)
    if made is None:
        made = tuple(
            Source(location, text, norm, matchable(norm.text), ctx.languages(location))
            for location, text, norm in ctx.texts()
        )
        _sources[ctx] = made
    return made


def in_language(source: Source, language: str, start: int, end: int) -> bool:
    """Whether the hit text[start:end] is read in the language it was found with."""
    languages = source.languages
    if not languages.covers(language, start):
        return False
    likelier = languages.at(start)
    if language != likelier and language in languages.also:
        # A doubtful reading of a short text: a hit made only of the likelier language's
        # function words is those words ("con" is Spanish "with", not a French insult).
        words = _WORD.findall(source.searched, start, end)
        if words and function_words(likelier).issuperset(words):
            return False
    return True


def hits(ctx: RuleContext, topic: str, categories: tuple[str, ...]) -> Iterator[Hit]:
    """Every phrase of these categories of a topic, in the language it is written in."""
    for source in sources(ctx):
        for language in source.languages.found:
            matcher = phrase_matcher(language, topic, categories)
            for category, start, end in matcher.hits(source.searched):
                if in_language(source, language, start, end):
                    yield Hit(
                        source.location,
                        category,
                        source.text,
                        source.norm,
                        source.searched,
                        start,
                        end,
                        language,
                    )


_mentioned: WeakKeyDictionary[RuleContext, dict[str, bool]] = WeakKeyDictionary()


def mentions(ctx: RuleContext, topic: str) -> bool:
    """Whether subject or body contains any of the topic's [keys], in a language found in
    it: far cheaper than a regex scan, and a message that fails it cannot match."""
    # Remembered per check: a score of substring searches over the whole text, and several
    # rules ask about the same topic (review.manipulation and type.important_misuse).
    known = _mentioned.setdefault(ctx, {})
    if topic not in known:
        known[topic] = any(
            any(map(source.searched.__contains__, keys(language, topic)))
            for source in sources(ctx)
            for language in source.languages.found
        )
    return known[topic]


def quote(excerpt: str, limit: int = 60) -> str:
    excerpt = " ".join(excerpt.split())
    return excerpt if len(excerpt) <= limit else excerpt[: limit - 1].rstrip() + "…"


def reported(
    hits: Iterable[Hit], rule_id: str, messages: Mapping[str, str | Promise]
) -> Iterator[Finding]:
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


def in_days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400
