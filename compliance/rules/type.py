"""type.important_misuse, type.not_allowed, type.text_length and type.daily_cap: whether the
chosen message type fits the sender, the content and the seller's limits.

type.important_misuse decides whether content is critical from what it says: it reuses the
review and promotion hit finders of compliance.rules.review and compliance.rules.promo, the
sentence summary of compliance.detect.sentences, and the critical vocabulary of
compliance.detect.lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.detect import lexicon as lx
from compliance.detect.phrases import matchable
from compliance.detect.sentences import summarize_sentences
from compliance.engine import Finding, RuleContext, rule
from compliance.message_types import TypeGroup
from compliance.rules.findings import PROACTIVE_GROUPS, mentions, quote, word_pattern
from compliance.rules.promo import promo_hits
from compliance.rules.review import review_hits

SELLER_GROUPS = {TypeGroup.CRITICAL, TypeGroup.PROACTIVE, TypeGroup.OTHER, TypeGroup.REPLY}

# ---- type.important_misuse ---------------------------------------------------------------

# Fullwidth brackets are folded to ASCII by the normalizer; the CJK lenticular, tortoise-shell
# and corner brackets are not.
_IMPORTANT = re.compile(
    r"[\[(<{\u3010\u3014\u300c]\s*i\s*m\s*p\s*o\s*r\s*t\s*a\s*n\s*t\s*"
    r"[\])>}\u3011\u3015\u300d]"
)
_REVIEW_ASK = word_pattern(lx.REVIEW_ASK)
_REVIEW_ASK_KEYS = (*lx.REVIEW_KEYS, "share your", "how did we", "how was your")
_CRITICAL_VOCABULARY = {
    type_id: word_pattern(words) for type_id, words in lx.CRITICAL_VOCABULARY.items()
}
_IMPORTANT_VOCABULARY = word_pattern(lx.IMPORTANT_VOCABULARY)
_NEVER_CRITICAL = {"review_request": "it is a review request", "promotion": "it is a promotion"}


def _not_critical_because(ctx: RuleContext) -> str | None:
    """Why the content is not critical, or None if it reads as critical."""
    kind_id = ctx.kind.id if ctx.kind else ""
    if kind_id in _NEVER_CRITICAL:
        return _NEVER_CRITICAL[kind_id]
    body = matchable(ctx.body_norm.text)
    subject = matchable(ctx.subject_norm.text)
    if mentions(ctx, _REVIEW_ASK_KEYS) and (
        _REVIEW_ASK.search(body)
        or _REVIEW_ASK.search(subject)
        or next(review_hits(ctx), None) is not None
    ):
        return "it asks for a review"
    if next(promo_hits(ctx), None) is not None:
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
            quote(ctx.body.text.strip(), 80),
            "message",
        )


# ---- type.not_allowed, type.text_length and type.daily_cap -------------------------------


@rule("type.not_allowed")
def type_not_allowed(ctx: RuleContext) -> Iterator[Finding]:
    kind = ctx.kind
    if kind is None or (ctx.side == "seller") != (kind.group in SELLER_GROUPS):
        yield Finding(
            "type.not_allowed",
            f"“{ctx.draft.message_type}” is not a message type you can send. "
            "Choose one of the types offered for this order.",
            location="message",
        )
        return
    if kind.group == TypeGroup.OTHER and not ctx.policy.promotions_allowed:
        yield Finding(
            "type.not_allowed",
            "Promotional messages (coupons, sales, in-stock notices) are not "
            "permitted by the marketplace's messaging policy.",
            location="message",
        )
    if kind.group == TypeGroup.REPLY and not ctx.draft.reply_to_buyer:
        yield Finding(
            "type.not_allowed",
            "“Reply” is only for answering a conversation the buyer started. "
            "Choose the message type that says what you are sending.",
            location="message",
        )
    if len(ctx.draft.attachments) < kind.min_attachments:
        yield Finding(
            "type.not_allowed",
            f"A “{kind.label}” message must carry the document itself: attach at "
            f"least {kind.min_attachments} file.",
            location="attachments",
        )


@rule("type.text_length")
def text_length(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.kind is None:
        return
    length = len(ctx.body.text.strip())
    limit = ctx.kind.text_limit
    if length > limit:
        yield Finding(
            "type.text_length",
            f"The message is {length} characters long; a “{ctx.kind.label}” "
            f"message may have at most {limit}. Shorten it by {length - limit}.",
            excerpt=ctx.body.text.strip()[limit : limit + 60],
        )


@rule("type.daily_cap")
def daily_cap(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.is_proactive_send or ctx.group not in PROACTIVE_GROUPS:
        return
    seller = ctx.draft.seller
    cap = int(
        ctx.policy.daily_cap_multiplier * seller.average_daily_orders + ctx.policy.daily_cap_base
    )
    if seller.proactive_sent_today >= cap:
        yield Finding(
            "type.daily_cap",
            f"You have sent {seller.proactive_sent_today} proactive messages today; "
            f"your daily limit is {cap}. Try again tomorrow.",
            location="message",
        )
