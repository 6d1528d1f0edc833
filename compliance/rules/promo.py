"""promo.marketing: coupons, discounts, sales, cross-selling, in-stock and new-product
notices, and invitations to newsletters, found with the promotion vocabulary of each
language the message is written in.

Words that settle a return, invoice lines and delay notices are not promotions; the
exceptions are in ``promo_hits``, which type.important_misuse also uses to tell that a
message promotes something.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from compliance.detect.sentence_split import sentence_bounds
from compliance.detect.vocabulary import phrase_pattern
from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import Hit, hits, reported

KINDS = (
    "coupon",
    "discount",
    "sale",
    "cross_sell",
    "new",
    "in_stock",
    "also_sell",
    "newsletter",
)
# Fine in an answer: a buyer who asks whether an item is back in stock may be told it is.
_ANSWERABLE = frozenset({"in_stock", "also_sell"})
_PRICED = frozenset({"coupon", "discount", "sale"})
_DELAY_TYPES = frozenset({"shipment_delay", "unexpected_problem"})
_MONEY = re.compile(r"[$€£]\s*\d|\d[.,]\d\d\b|\d\s*(?:[$€£]|eur|usd|gbp)\b")

_PROMO_MESSAGES = {
    "coupon": _(
        "Coupons and discount codes are promotional and not allowed in buyer messages: remove "
        "“{words}”."
    ),
    "discount": _(
        "Discounts and savings offers are promotional and not allowed in buyer messages: "
        "remove “{words}”."
    ),
    "sale": _(
        "Sales and special offers are promotional and not allowed in buyer messages: remove "
        "“{words}”."
    ),
    "cross_sell": _("Don't advertise other products (“{words}”); write only about this order."),
    "new": _("New-product announcements are promotional: remove “{words}”."),
    "in_stock": _(
        "In-stock notices are promotional: remove “{words}”. You may answer a buyer who asks."
    ),
    "also_sell": _(
        "Don't advertise other products (“{words}”); write only about this order. You may answer "
        "a buyer who asks."
    ),
    "newsletter": _(
        "Don't invite buyers to newsletters, lists or social media (“{words}”); keep the message "
        "about this order."
    ),
}


def promo_hits(ctx: RuleContext) -> Iterator[Hit]:
    kind_id = ctx.kind.id if ctx.kind else ""
    for hit in hits(ctx, "promo", KINDS):
        text, start, end = hit.searched, hit.start, hit.end
        if hit.category in _ANSWERABLE:
            if ctx.draft.reply_to_buyer or kind_id in _DELAY_TYPES:
                continue
            lo, _hi = sentence_bounds(text, start, end)
            if phrase_pattern(hit.language, "promo", ("not_yet",)).search(text, lo, start):
                continue  # "once it is back in stock we'll ship" is a delay, not a notice
        elif hit.category in _PRICED:
            lo, hi = sentence_bounds(text, start, end)
            applied = phrase_pattern(hit.language, "promo", ("applied",))
            if applied.search(text, lo, hi) and _MONEY.search(text, lo, hi):
                continue  # an invoice line: "Discount code SPRING applied: -$5.00"
            settlement = phrase_pattern(hit.language, "promo", ("settlement",))
            if hit.category != "coupon" and settlement.search(text, lo, hi):
                continue  # settling a return: "20% off the price if you keep it"
        yield hit


@rule("promo.marketing")
def promo_marketing(ctx: RuleContext) -> Iterator[Finding]:
    """Coupons, discounts, sales, cross-selling, in-stock and new-product notices,
    newsletters."""
    yield from reported(promo_hits(ctx), "promo.marketing", _PROMO_MESSAGES)
