"""Rules about what a message says: review manipulation, marketing, messages with nothing to
say, opt-out wording, inappropriate language, and misuse of the critical channel.

Each rule searches the normalized text (so fullwidth, look-alike and invisible-character
disguises are already undone) with one precompiled alternation from compliance.phrases,
and maps every hit back to the words as written. The phrase lists live in
compliance.lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from compliance import lexicon as lx
from compliance.engine import Finding, RuleContext, rule
from compliance.language import offensive_spans
from compliance.message_types import TypeGroup
from compliance.normalize import Normalized
from compliance.phrases import CategoryMatcher, expand, matchable, phrase_lists, sentence_bounds
from compliance.sentences import summarize_sentences

_MAX_FINDINGS = 5  # per rule and message: enough to show the problem, not a wall of text
_MAX_HITS = 40


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
            messages[self.category].format(_quote(written)),
            written,
            self.location,
            (lo, hi),
        )


def _sources(ctx: RuleContext) -> Iterator[tuple[str, str, Normalized, str]]:
    """(location, text as written, normalized, text to search) for subject and body."""
    for location, text, norm in ctx.texts():
        yield location, text, norm, matchable(norm.text)


def _hits(ctx: RuleContext, matcher: CategoryMatcher) -> Iterator[Hit]:
    for location, text, norm, searched in _sources(ctx):
        for category, start, end in matcher.hits(searched):
            yield Hit(location, category, text, norm, searched, start, end)


def _mentions(ctx: RuleContext, keys: Iterable[str]) -> bool:
    """Whether subject or body contains any of the keys; far cheaper than a regex scan."""
    return any(any(map(searched.__contains__, keys)) for *_, searched in _sources(ctx))


def _quote(excerpt: str, limit: int = 60) -> str:
    excerpt = " ".join(excerpt.split())
    return excerpt if len(excerpt) <= limit else excerpt[: limit - 1].rstrip() + "…"


def _reported(hits: Iterable[Hit], rule_id: str, messages: dict[str, str]) -> Iterator[Finding]:
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


def _distinct(findings: Iterable[Finding]) -> Iterator[Finding]:
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


def _word_pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + expand(words) + r")(?![a-z])")


# ---- review.manipulation ----------------------------------------------------------------

_REVIEW = CategoryMatcher.build(phrase_lists(lx.REVIEW_PHRASES))
# A review being asked for nearby: "review" as a thing you leave, not "we'll review it".
_REVIEW_NEARBY = _word_pattern(
    lx.REVIEW_ASK + r"|(?:a|an|your|honest|product|seller|quick|short) (?:\w+ )?reviews?|"
    r"ratings?|stars|rate (?:us|our|the|it|your|this)|review (?:it|them|us)"
)
_NEEDS_REVIEW_NEARBY = frozenset({"conditional", "divert_nearby"})
_REVIEW_REACH = 160
_THANKS_BEFORE = re.compile(r"\bthank")

_REVIEW_MESSAGES = {
    "positive_only": "Ask for a review neutrally: remove “{}”. You may not ask for positive or "
    "5-star reviews.",
    "conditional": "Ask every buyer for a review the same way: remove “{}”, which limits the "
    "request to satisfied buyers.",
    "incentive": "Reviews can't be rewarded: remove “{}”. Offer no refund, discount, gift or "
    "free product in exchange for a review.",
    "change": "Don't ask the buyer to change or remove a review (“{}”). Solve the problem "
    "without mentioning the review.",
    "divert": "Don't steer unhappy buyers away from reviewing (“{}”). Ask for a review "
    "neutrally and offer help separately.",
}
_REVIEW_MESSAGES["divert_nearby"] = _REVIEW_MESSAGES["divert"]


def _review_hits(ctx: RuleContext) -> Iterator[Hit]:
    if not _mentions(ctx, lx.REVIEW_KEYS):
        return
    for hit in _hits(ctx, _REVIEW):
        text, start, end = hit.searched, hit.start, hit.end
        if hit.category in _NEEDS_REVIEW_NEARBY and not _REVIEW_NEARBY.search(
            text, max(0, start - _REVIEW_REACH), end + _REVIEW_REACH
        ):
            continue  # "if you're happy with a replacement, ..." is not about reviews
        if hit.category == "positive_only" and _THANKS_BEFORE.search(
            text, max(0, start - 40), start
        ):
            continue  # "thank you for your great feedback" answers a review, it doesn't ask
        yield hit


@rule("review.manipulation")
def review_manipulation(ctx: RuleContext) -> Iterator[Finding]:
    """Review requests that are not neutral: positive-only, conditional, rewarded, steering
    unhappy buyers away, or asking to change a review."""
    yield from _reported(_review_hits(ctx), "review.manipulation", _REVIEW_MESSAGES)


# ---- promo.marketing ---------------------------------------------------------------------

_PROMO = CategoryMatcher.build(phrase_lists(lx.PROMO_PHRASES))
_SETTLEMENT = re.compile(r"\b(?:refund\w*|keep (?:it|the|them)|partial|compensat\w*|reimburs\w*)")
_ALREADY_APPLIED = re.compile(r"\b(?:applied|deducted|credited|redeemed)\b")
_MONEY = re.compile(r"[$€£]\s*\d|\d[.,]\d\d\b")
_NOT_YET = re.compile(
    r"\b(?:once|when|until|till|soon as|after|if|expect\w*|will|should|"
    r"waiting|wait|by|around)\b"
)
_DELAY_TYPES = frozenset({"shipment_delay", "unexpected_problem"})
_PRICED = frozenset({"coupon", "discount", "sale"})

_PROMO_MESSAGES = {
    "coupon": "Coupons and discount codes are promotional and not allowed in buyer messages: "
    "remove “{}”.",
    "discount": "Discounts and savings offers are promotional and not allowed in buyer "
    "messages: remove “{}”.",
    "sale": "Sales and special offers are promotional and not allowed in buyer messages: "
    "remove “{}”.",
    "cross_sell": "Don't advertise other products (“{}”); write only about this order.",
    "new": "New-product announcements are promotional: remove “{}”.",
    "in_stock": "In-stock notices are promotional: remove “{}”. You may answer a buyer who asks.",
    "also_sell": "Don't advertise other products (“{}”); write only about this order. You may "
    "answer a buyer who asks.",
    "newsletter": "Don't invite buyers to newsletters, lists or social media (“{}”); keep the "
    "message about this order.",
}


def _promo_hits(ctx: RuleContext) -> Iterator[Hit]:
    kind_id = ctx.kind.id if ctx.kind else ""
    for hit in _hits(ctx, _PROMO):
        text, start, end = hit.searched, hit.start, hit.end
        if hit.category in lx.PROMO_ANSWERABLE:
            if ctx.draft.reply_to_buyer or kind_id in _DELAY_TYPES:
                continue
            lo, _ = sentence_bounds(text, start, end)
            if _NOT_YET.search(text, lo, start):
                continue  # "once it is back in stock we'll ship" is a delay, not a notice
        elif hit.category in _PRICED:
            lo, hi = sentence_bounds(text, start, end)
            if _ALREADY_APPLIED.search(text, lo, hi) and _MONEY.search(text, lo, hi):
                continue  # an invoice line: "Discount code SPRING applied: -$5.00"
            if hit.category != "coupon" and _SETTLEMENT.search(text, lo, hi):
                continue  # settling a return: "20% off the price if you keep it"
        yield hit


@rule("promo.marketing")
def promo_marketing(ctx: RuleContext) -> Iterator[Finding]:
    """Coupons, discounts, sales, cross-selling, in-stock and new-product notices,
    newsletters."""
    yield from _reported(_promo_hits(ctx), "promo.marketing", _PROMO_MESSAGES)


# ---- content.thank_you_only and content.shipping_confirmation ----------------------------


def _body_finding(
    ctx: RuleContext, rule_id: str, message: str, span: tuple[int, int] | None
) -> Finding:
    if span is None:
        return Finding(rule_id, message, location="body")
    lo, hi = ctx.body_norm.source_span(*span)
    return Finding(rule_id, message, ctx.body.text[lo:hi].strip(), "body", (lo, hi))


@rule("content.thank_you_only")
def thank_you_only(ctx: RuleContext) -> Iterator[Finding]:
    """A message the seller starts that only thanks the buyer or offers help in general."""
    if not ctx.is_proactive_send:
        return
    summary = summarize_sentences(matchable(ctx.body_norm.text))
    if summary.only_thanks:
        yield _body_finding(
            ctx,
            "content.thank_you_only",
            "This message only thanks the buyer or offers general help, which the marketplace "
            "does not deliver. Send a message only when you have information the buyer needs.",
            summary.first_filler,
        )


@rule("content.shipping_confirmation")
def shipping_confirmation(ctx: RuleContext) -> Iterator[Finding]:
    """A message the seller starts that only confirms the order, shipment or delivery."""
    if not ctx.is_proactive_send:
        return
    summary = summarize_sentences(matchable(ctx.body_norm.text))
    if summary.only_confirmation:
        yield _body_finding(
            ctx,
            "content.shipping_confirmation",
            "The marketplace already sends order, shipping and delivery confirmations; don't "
            "send your own. Write only about something else the buyer needs, such as a delay "
            "or a delivery appointment.",
            summary.first_confirmation,
        )


# ---- link.optout -------------------------------------------------------------------------

_OPTOUT = CategoryMatcher.build([("optout", expand(p)) for p in lx.OPTOUT_PHRASES])
_OPTOUT_LINK = re.compile(lx.OPTOUT_LINK)
_OPTOUT_MESSAGE = (
    "Remove the opt-out wording or link (“{}”): buyers manage what they receive "
    "in their marketplace settings, and messages may not offer their own opt-out."
)


@rule("link.optout")
def optout(ctx: RuleContext) -> Iterator[Finding]:
    """Unsubscribe / opt-out wording, and links whose target or words are an opt-out."""
    messages = {"optout": _OPTOUT_MESSAGE}
    found = (
        [hit.finding("link.optout", messages) for hit in _hits(ctx, _OPTOUT)]
        if _mentions(ctx, lx.OPTOUT_KEYS)
        else []
    )
    body = ctx.body
    for link in body.links:
        words = body.text[link.text_start : link.text_end]
        if not (_OPTOUT_LINK.search(link.href.lower()) or _OPTOUT_LINK.search(words.lower())):
            continue
        span = (link.text_start, link.text_end)
        if any(
            f.location == "body" and f.span and f.span[0] < span[1] and span[0] < f.span[1]
            for f in found
        ):
            continue  # the link's words were already reported
        shown = words.strip() or link.href
        found.append(
            Finding("link.optout", _OPTOUT_MESSAGE.format(_quote(shown)), shown, "body", span)
        )
    yield from _distinct(found)


# ---- content.inappropriate ---------------------------------------------------------------

_INAPPROPRIATE_MESSAGES = {
    "profanity": "Profanity (“{}”) is held for review. Rephrase the message without it.",
    "slur": "A slur (“{}”) is held for review. Remove it: messages must be respectful.",
    "harassment": "Threatening or insulting words (“{}”) are held for review. Keep to the "
    "facts of the order.",
    "sexual": "Sexual content (“{}”) is not allowed in marketplace messages; remove it.",
    "self_harm": "This message (“{}”) is held so that a person can read it. If you need help, "
    "please contact a local support line.",
    "personal_data": "Never ask for or share card numbers, passwords or identity numbers in "
    "messages (“{}”); payments and identity go through the marketplace.",
}


def _inappropriate_hits(ctx: RuleContext) -> Iterator[Hit]:
    for location, text, norm, searched in _sources(ctx):
        for category, start, end in offensive_spans(searched):
            yield Hit(location, category, text, norm, searched, start, end)


@rule("content.inappropriate")
def inappropriate(ctx: RuleContext) -> Iterator[Finding]:
    """Profanity, slurs, threats and insults, sexual content, and sensitive content
    (self-harm, card numbers, passwords, identity numbers), from either side."""
    yield from _reported(_inappropriate_hits(ctx), "content.inappropriate", _INAPPROPRIATE_MESSAGES)


# ---- type.important_misuse ---------------------------------------------------------------

# Fullwidth brackets are folded to ASCII by the normalizer; the CJK lenticular, tortoise-shell
# and corner brackets are not.
_IMPORTANT = re.compile(
    r"[\[(<{\u3010\u3014\u300c]\s*i\s*m\s*p\s*o\s*r\s*t\s*a\s*n\s*t\s*"
    r"[\])>}\u3011\u3015\u300d]"
)
_REVIEW_ASK = _word_pattern(lx.REVIEW_ASK)
_REVIEW_ASK_KEYS = (*lx.REVIEW_KEYS, "share your", "how did we", "how was your")
_CRITICAL_VOCABULARY = {
    type_id: _word_pattern(words) for type_id, words in lx.CRITICAL_VOCABULARY.items()
}
_IMPORTANT_VOCABULARY = _word_pattern(lx.IMPORTANT_VOCABULARY)
_NEVER_CRITICAL = {"review_request": "it is a review request", "promotion": "it is a promotion"}


def _not_critical_because(ctx: RuleContext) -> str | None:
    """Why the content is not critical, or None if it reads as critical."""
    kind_id = ctx.kind.id if ctx.kind else ""
    if kind_id in _NEVER_CRITICAL:
        return _NEVER_CRITICAL[kind_id]
    body = matchable(ctx.body_norm.text)
    subject = matchable(ctx.subject_norm.text)
    if _mentions(ctx, _REVIEW_ASK_KEYS) and (
        _REVIEW_ASK.search(body)
        or _REVIEW_ASK.search(subject)
        or next(_review_hits(ctx), None) is not None
    ):
        return "it asks for a review"
    if next(_promo_hits(ctx), None) is not None:
        return "it promotes products or offers"
    summary = summarize_sentences(body)
    if summary.only_confirmation:
        return "it only confirms the order or its shipment"
    if summary.only_thanks:
        return "it only thanks the buyer or offers general help"
    vocabulary = _CRITICAL_VOCABULARY.get(kind_id, _IMPORTANT_VOCABULARY)
    if not (vocabulary.search(body) or vocabulary.search(subject)):
        return "it mentions nothing needed to complete the order"
    return None


@rule("type.important_misuse")
def important_misuse(ctx: RuleContext) -> Iterator[Finding]:
    """[Important] in the subject, or a critical message type, on content that is not
    critical: both reach buyers who opted out, so they are only for what the order needs."""
    marked = _IMPORTANT.search(ctx.subject_norm.text) if ctx.subject else None
    critical_type = ctx.group == TypeGroup.CRITICAL
    if not (marked or critical_type):
        return
    reason = _not_critical_because(ctx)
    if reason is None:
        return
    if marked is not None:
        yield ctx.finding(
            "type.important_misuse",
            f"“[Important]” is only for messages needed to complete the order, but {reason}. "
            "Remove “[Important]” from the subject.",
            "subject",
            ctx.subject,
            ctx.subject_norm,
            marked.start(),
            marked.end(),
        )
    if critical_type and ctx.kind is not None:
        yield Finding(
            "type.important_misuse",
            f"“{ctx.kind.label}” is a critical message type, for what the order needs, but "
            f"{reason}. Choose the message type that fits what you are sending.",
            _quote(ctx.body.text.strip(), 80),
            "message",
        )
