"""seller.restricted: the seller's standing; a seller under a restriction cannot send
proactive messages until it ends, but can still answer buyers and send what an order
needs."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import PROACTIVE_GROUPS


@rule("seller.restricted")
def seller_restricted(ctx: RuleContext) -> Iterator[Finding]:
    until = ctx.draft.seller.restricted_until
    if until is None or until <= ctx.now:
        return
    if ctx.is_proactive_send and ctx.group in PROACTIVE_GROUPS:
        reason = ctx.draft.seller.restriction_reason
        when = date_format(until, "DATE_FORMAT")
        message = (
            _(
                "Your proactive messaging is restricted until {date} because {reason}. You "
                "can still answer buyers and send messages needed to complete an order."
            )
            if reason
            else _(
                "Your proactive messaging is restricted until {date}. You can still answer "
                "buyers and send messages needed to complete an order."
            )
        )
        yield Finding(
            "seller.restricted", message.format(date=when, reason=reason), location="message"
        )
