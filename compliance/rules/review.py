"""review.manipulation, review.window and review.repeat: asking buyers for reviews.

A review request must be neutral (review.manipulation reads the words, with the review
vocabulary of each language the message is written in), sent between the policy's days
after delivery (review.window), and made once per order (review.repeat). ``review_hits``
and ``asks_for_review`` are also what type.important_misuse uses to tell that a message
asks for a review.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from compliance.detect.vocabulary import phrase_finder
from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import Hit, hits, in_days, mentions, reported

# ---- review.manipulation ----------------------------------------------------------------

MANIPULATION = ("positive_only", "conditional", "incentive", "change", "divert", "divert_nearby")
# Manipulation only when a review is being asked for nearby: "if you're happy with a
# replacement, ..." is not about reviews.
_NEEDS_REVIEW_NEARBY = frozenset({"conditional", "divert_nearby"})
_REVIEW_REACH = 160
_ANSWERING_REACH = 40

_REVIEW_MESSAGES = {
    "positive_only": _(
        "Ask for a review neutrally: remove “{words}”. You may not ask for positive or 5-star "
        "reviews."
    ),
    "conditional": _(
        "Ask every buyer for a review the same way: remove “{words}”, which limits the request to "
        "satisfied buyers."
    ),
    "incentive": _(
        "Reviews can't be rewarded: remove “{words}”. Offer no refund, discount, gift, prize draw "
        "or free product in exchange for a review."
    ),
    "change": _(
        "Don't ask the buyer to change or remove a review (“{words}”). Solve the problem without "
        "mentioning the review."
    ),
    "divert": _(
        "Don't steer unhappy buyers away from reviewing (“{words}”). Ask for a review neutrally "
        "and offer help separately."
    ),
}
_REVIEW_MESSAGES["divert_nearby"] = _REVIEW_MESSAGES["divert"]


def review_hits(ctx: RuleContext) -> Iterator[Hit]:
    """Manipulative review wording, in the language each hit is written in."""
    if not mentions(ctx, "review"):
        return
    for hit in hits(ctx, "review", MANIPULATION):
        text, start, end = hit.searched, hit.start, hit.end
        if hit.category in _NEEDS_REVIEW_NEARBY and not _found(
            hit.language, "nearby", text, max(0, start - _REVIEW_REACH), end + _REVIEW_REACH
        ):
            continue
        if hit.category == "positive_only" and _found(
            hit.language, "answering", text, max(0, start - _ANSWERING_REACH), start
        ):
            continue  # "thank you for your great feedback" answers a review, it doesn't ask
        yield hit


def _found(language: str, category: str, text: str, lo: int, hi: int) -> bool:
    finder = phrase_finder(language, "review", (category,))
    return finder is not None and finder.found_within(text, lo, min(hi, len(text)))


def asks_for_review(ctx: RuleContext) -> bool:
    """Whether the message asks for a review at all (neutrally or not)."""
    if not mentions(ctx, "review"):
        return False
    return (
        next(hits(ctx, "review", ("ask",)), None) is not None
        or next(review_hits(ctx), None) is not None
    )


@rule("review.manipulation")
def review_manipulation(ctx: RuleContext) -> Iterator[Finding]:
    """Review requests that are not neutral: positive-only, conditional, rewarded, steering
    unhappy buyers away, or asking to change a review."""
    yield from reported(review_hits(ctx), "review.manipulation", _REVIEW_MESSAGES)


# ---- review.window and review.repeat ------------------------------------------------------


@rule("review.window")
def review_window(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.draft.message_type != "review_request":
        return
    order = ctx.draft.order
    low = ctx.policy.review_min_days_after_delivery
    high = ctx.policy.review_max_days_after_delivery
    if order is None or order.shipped_at is None:
        yield Finding(
            "review.window",
            str(_("You can only ask for a review once the order has shipped.")),
            location="message",
        )
        return
    if order.delivered_at is None:
        yield Finding(
            "review.window",
            _(
                "Ask for a review between {low} and {high} days after delivery; this order has "
                "not been delivered yet."
            ).format(low=low, high=high),
            location="message",
        )
        return
    # Whole days since delivery: "day 30" is open all day long, "day 4" is not yet.
    since = int(in_days(ctx.now - order.delivered_at))
    if since < low:
        yield Finding(
            "review.window",
            ngettext(
                "Ask for a review between {low} and {high} days after delivery; it was "
                "delivered {since} days ago. Try again in {wait} day.",
                "Ask for a review between {low} and {high} days after delivery; it was "
                "delivered {since} days ago. Try again in {wait} days.",
                low - since,
            ).format(low=low, high=high, since=since, wait=low - since),
            location="message",
        )
    elif since > high:
        yield Finding(
            "review.window",
            _(
                "Ask for a review between {low} and {high} days after delivery; it was "
                "delivered {since} days ago, so the window has closed."
            ).format(low=low, high=high, since=since),
            location="message",
        )


@rule("review.repeat")
def review_repeat(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.draft.message_type == "review_request" and ctx.draft.seller.review_requests_for_order:
        yield Finding(
            "review.repeat",
            str(
                _("You have already asked for a review of this order; you may ask once per order.")
            ),
            location="message",
        )
