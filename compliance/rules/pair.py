"""pair.seller_to_seller: who may write to whom; sellers write to buyers, never to other
sellers."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from compliance.engine import Finding, RuleContext, rule


@rule("pair.seller_to_seller")
def seller_to_seller(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.side == "seller" and ctx.draft.recipient_is_seller:
        yield Finding(
            "pair.seller_to_seller",
            _("Sellers cannot send messages to other sellers."),
            location="message",
        )
