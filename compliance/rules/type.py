"""type.important_misuse, type.not_allowed, type.text_length and type.daily_cap: whether the
chosen message type fits the sender, the content and the seller's limits.

type.important_misuse decides from what the content says, never from what it lacks: it
reuses the review and promotion finders of compliance.rules.review and compliance.rules.promo
and the sentence summary that content.thank_you_only and content.shipping_confirmation use
(which also tells a message that only gives care or usage advice).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from compliance.engine import Finding, RuleContext, rule
from compliance.important import important_mark
from compliance.message_types import TypeGroup
from compliance.rules.content import body_summary
from compliance.rules.findings import PROACTIVE_GROUPS, quote
from compliance.rules.promo import promo_hits
from compliance.rules.review import asks_for_review

SELLER_GROUPS = {TypeGroup.CRITICAL, TypeGroup.PROACTIVE, TypeGroup.OTHER, TypeGroup.REPLY}

# ---- type.important_misuse ---------------------------------------------------------------

_NEVER_CRITICAL = {
    "review_request": _("it is a review request"),
    "promotion": _("it is a promotion"),
}


def not_critical_because(ctx: RuleContext) -> str | None:
    """Why the content belongs to a non-critical group, or None when nothing shows it does.

    Only positive evidence counts: a review request, a promotion, or a message that only
    confirms, only thanks or only gives general advice on using or caring for the product
    (care tips, how-to). A message is never judged by the words it lacks, so a correct
    critical message in any language, about anything the order needs, passes; so does one
    that tells the buyer what they must do, or warns of a hazard.
    """
    kind_id = ctx.kind.id if ctx.kind else ""
    if kind_id in _NEVER_CRITICAL:
        return str(_NEVER_CRITICAL[kind_id])
    if asks_for_review(ctx):
        return str(_("it asks for a review"))
    if next(promo_hits(ctx), None) is not None:
        return str(_("it promotes products or offers"))
    summary = body_summary(ctx)
    if summary.only_confirmation:
        return str(_("it only confirms the order or its shipment"))
    if summary.only_thanks:
        return str(_("it only thanks the buyer or offers general help"))
    if summary.only_advice:
        return str(_("it only gives general advice on using or caring for the product"))
    return None


def _as_written(ctx: RuleContext, start: int, end: int) -> str:
    lo, hi = ctx.subject_norm.source_span(start, end)
    return ctx.subject[lo:hi]


@rule("type.important_misuse")
def important_misuse(ctx: RuleContext) -> Iterator[Finding]:
    """[Important] in the subject, or a critical message type, on content that is not
    critical: both reach buyers who opted out, so they are only for what the order needs."""
    marked = important_mark(ctx.subject_norm.text) if ctx.subject else None
    critical_type = ctx.group == TypeGroup.CRITICAL
    if not (marked or critical_type):
        return
    reason = not_critical_because(ctx)
    if reason is None:
        return
    if marked is not None:
        yield ctx.finding(
            "type.important_misuse",
            _(
                "“{mark}” is only for messages needed to complete the order, but "
                "{reason}. Remove “{mark}” from the subject."
            ).format(mark=_as_written(ctx, marked.start(), marked.end()), reason=reason),
            "subject",
            ctx.subject,
            ctx.subject_norm,
            marked.start(),
            marked.end(),
        )
    if critical_type and ctx.kind is not None:
        yield Finding(
            "type.important_misuse",
            _(
                "“{type}” is a critical message type, for what the order needs, but {reason}. "
                "Choose the message type that fits what you are sending."
            ).format(type=ctx.kind.label, reason=reason),
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
            _(
                "“{type}” is not a message type you can send. Choose one of the types offered "
                "for this order."
            ).format(type=ctx.draft.message_type),
            location="message",
        )
        return
    if kind.group == TypeGroup.OTHER and not ctx.policy.promotions_allowed:
        yield Finding(
            "type.not_allowed",
            str(
                _(
                    "Promotional messages (coupons, sales, in-stock notices) are not permitted "
                    "by the marketplace's messaging policy."
                )
            ),
            location="message",
        )
    if kind.group == TypeGroup.REPLY and not ctx.draft.reply_to_buyer:
        yield Finding(
            "type.not_allowed",
            str(
                _(
                    "“Reply” is only for answering a conversation the buyer started. Choose the "
                    "message type that says what you are sending."
                )
            ),
            location="message",
        )
    if len(ctx.draft.attachments) < kind.min_attachments:
        yield Finding(
            "type.not_allowed",
            ngettext(
                "A “{type}” message must carry the document itself: attach at least {count} file.",
                "A “{type}” message must carry the document itself: attach at least {count} files.",
                kind.min_attachments,
            ).format(type=kind.label, count=kind.min_attachments),
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
            _(
                "The message is {length} characters long; a “{type}” message may have at "
                "most {limit}. Shorten it by {over}."
            ).format(length=length, type=ctx.kind.label, limit=limit, over=length - limit),
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
            _(
                "You have sent {sent} proactive messages today; your daily limit is {cap}. Try "
                "again tomorrow."
            ).format(sent=seller.proactive_sent_today, cap=cap),
            location="message",
        )
