"""promo.marketing: coupons, discounts, sales, cross-selling, in-stock and new-product
notices, and invitations to newsletters, found with the phrase lists of
compliance.detect.lexicon.

Words that settle a return, invoice lines and delay notices are not promotions; the
exceptions are in ``promo_hits``, which type.important_misuse also uses to tell that a
message promotes something.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.detect import lexicon as lx
from compliance.detect.phrases import CategoryMatcher, phrase_lists, sentence_bounds
from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import Hit, hits, reported

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


def promo_hits(ctx: RuleContext) -> Iterator[Hit]:
    kind_id = ctx.kind.id if ctx.kind else ""
    for hit in hits(ctx, _PROMO):
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
    yield from reported(promo_hits(ctx), "promo.marketing", _PROMO_MESSAGES)
