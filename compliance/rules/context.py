"""Rules about the message's circumstances rather than its words: type, timing, limits,
who writes to whom, and the seller's standing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from compliance.engine import Finding, RuleContext, rule
from compliance.message_types import TypeGroup

SELLER_GROUPS = {TypeGroup.CRITICAL, TypeGroup.PROACTIVE, TypeGroup.OTHER, TypeGroup.REPLY}
PROACTIVE_GROUPS = {TypeGroup.PROACTIVE, TypeGroup.OTHER}


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


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


@rule("window.proactive")
def proactive_window(ctx: RuleContext) -> Iterator[Finding]:
    order = ctx.draft.order
    if not ctx.is_proactive_send or ctx.group not in PROACTIVE_GROUPS or order is None:
        return
    if ctx.draft.message_type == "review_request":
        return  # the specific window (5-30 days after delivery, review.window) governs it
    days = ctx.policy.proactive_window_days
    age = _days(ctx.now - order.ordered_at)
    if age > days:
        yield Finding(
            "window.proactive",
            f"Proactive messages must be sent within {days} days of the order "
            f"date; this order was placed {int(age)} days ago. Critical messages "
            "and answers to the buyer are still possible.",
            location="message",
        )


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
            "You can only ask for a review once the order has shipped.",
            location="message",
        )
        return
    if order.delivered_at is None:
        yield Finding(
            "review.window",
            f"Ask for a review between {low} and {high} days after delivery; this "
            "order has not been delivered yet.",
            location="message",
        )
        return
    # Whole days since delivery: "day 30" is open all day long, "day 4" is not yet.
    since = int(_days(ctx.now - order.delivered_at))
    if since < low:
        yield Finding(
            "review.window",
            f"Ask for a review between {low} and {high} days after delivery; it "
            f"was delivered {int(since)} days ago. Try again in "
            f"{low - since} day{'s' if low - since > 1 else ''}.",
            location="message",
        )
    elif since > high:
        yield Finding(
            "review.window",
            f"Ask for a review between {low} and {high} days after delivery; it "
            f"was delivered {int(since)} days ago, so the window has closed.",
            location="message",
        )


@rule("review.repeat")
def review_repeat(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.draft.message_type == "review_request" and ctx.draft.seller.review_requests_for_order:
        yield Finding(
            "review.repeat",
            "You have already asked for a review of this order; you may ask once per order.",
            location="message",
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


@rule("pair.seller_to_seller")
def seller_to_seller(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.side == "seller" and ctx.draft.recipient_is_seller:
        yield Finding(
            "pair.seller_to_seller",
            "Sellers cannot send messages to other sellers.",
            location="message",
        )


@rule("seller.restricted")
def seller_restricted(ctx: RuleContext) -> Iterator[Finding]:
    until = ctx.draft.seller.restricted_until
    if until is None or until <= ctx.now:
        return
    if ctx.is_proactive_send and ctx.group in PROACTIVE_GROUPS:
        reason = ctx.draft.seller.restriction_reason
        yield Finding(
            "seller.restricted",
            f"Your proactive messaging is restricted until {until:%B %d, %Y}"
            f"{' because ' + reason if reason else ''}. You can still answer "
            "buyers and send messages needed to complete an order.",
            location="message",
        )


@rule("attach.count")
def attachment_count(ctx: RuleContext) -> Iterator[Finding]:
    count = len(ctx.draft.attachments)
    limit = settings.ATTACHMENT_MAX_FILES
    if ctx.kind is not None and ctx.kind.max_attachments == 0 and count:
        yield Finding(
            "attach.count",
            f"A “{ctx.kind.label}” message cannot carry attachments; remove the "
            f"{count} file{'s' if count > 1 else ''}.",
            location="attachments",
        )
    elif count > limit:
        yield Finding(
            "attach.count",
            f"You attached {count} files; a message can carry at most {limit}. "
            "Remove some and send the rest in another message.",
            location="attachments",
            excerpt=", ".join(f.name for f in ctx.draft.attachments[limit:]),
        )


@rule("attach.size")
def attachment_size(ctx: RuleContext) -> Iterator[Finding]:
    total = sum(f.size for f in ctx.draft.attachments)
    cap = settings.ATTACHMENT_MAX_TOTAL_BYTES
    if total > cap:
        yield Finding(
            "attach.size",
            f"The attachments add up to {filesizeformat(total)}; one message may "
            f"carry at most {filesizeformat(cap)}.",
            location="attachments",
        )
