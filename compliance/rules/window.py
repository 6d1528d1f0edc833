"""window.proactive: a seller writes on their own initiative only within the policy's
number of days after the order date; critical messages and answers to the buyer are not
limited."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import PROACTIVE_GROUPS, in_days


@rule("window.proactive")
def proactive_window(ctx: RuleContext) -> Iterator[Finding]:
    order = ctx.draft.order
    if not ctx.is_proactive_send or ctx.group not in PROACTIVE_GROUPS or order is None:
        return
    if ctx.draft.message_type == "review_request":
        return  # the specific window (5-30 days after delivery, review.window) governs it
    days = ctx.policy.proactive_window_days
    age = in_days(ctx.now - order.ordered_at)
    if age > days:
        yield Finding(
            "window.proactive",
            _(
                "Proactive messages must be sent within {days} days of the order date; this "
                "order was placed {age} days ago. Critical messages and answers to the buyer "
                "are still possible."
            ).format(days=days, age=int(age)),
            location="message",
        )
