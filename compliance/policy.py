"""The rules of POLICY.md: their ids, what each catches, and the default action.

Every action here is a default. Operators change them in the admin (see
compliance.models.PolicySettings); the engine only ever reads a PolicyConfig.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Action(StrEnum):
    BLOCK = "block"  # not delivered; the sender sees why and keeps the draft
    REDACT = "redact"  # delivered with the offending text replaced by a placeholder
    FLAG = "flag"  # held for an administrator
    FIX = "fix"  # normalised automatically
    OFF = "off"  # the operator switched the rule off


class Applies(StrEnum):
    SELLER = "seller"
    BOTH = "both"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    catches: str
    applies: Applies
    default: Action
    placeholder: str = ""  # what a redaction leaves behind

    def applies_to(self, side: str) -> bool:
        return self.applies == Applies.BOTH or side == "seller"


def _rule(
    rule_id: str, title: str, catches: str, applies: Applies, default: Action, placeholder: str = ""
) -> RuleInfo:
    return RuleInfo(
        rule_id, title, catches, applies, default, placeholder or f"[{title.lower()} removed]"
    )


S, B = Applies.SELLER, Applies.BOTH
RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        _rule(
            "contact.email",
            "Email address",
            "email addresses, including disguised ones",
            B,
            Action.REDACT,
            "[email address removed]",
        ),
        _rule(
            "contact.phone",
            "Phone number",
            "phone numbers, including spaced, dotted, fullwidth and spelled-out digits",
            B,
            Action.REDACT,
            "[phone number removed]",
        ),
        _rule(
            "link.external",
            "External link",
            "links or bare URLs to domains not on the marketplace's allowlist",
            S,
            Action.BLOCK,
            "[link removed]",
        ),
        _rule(
            "link.optout",
            "Opt-out link",
            "unsubscribe or opt-out links or wording",
            S,
            Action.BLOCK,
        ),
        _rule(
            "media.remote_image",
            "Remote image",
            "images loaded from outside the message, including tracking pixels",
            S,
            Action.BLOCK,
        ),
        _rule("media.gif", "Animated GIF", "animated GIFs in the message body", S, Action.BLOCK),
        _rule("text.emoji", "Emoji", "emoji", S, Action.BLOCK, "[emoji removed]"),
        _rule(
            "format.line_breaks", "Line breaks", "more than two line breaks in a row", S, Action.FIX
        ),
        _rule(
            "format.font_sizes",
            "Font sizes",
            "more than three different font sizes",
            S,
            Action.BLOCK,
        ),
        _rule(
            "format.styling",
            "Styling",
            "overriding font family, colour, line height or alignment",
            S,
            Action.FIX,
        ),
        _rule(
            "review.manipulation",
            "Review manipulation",
            "asking for positive reviews only, conditional requests, incentives, or asking to "
            "change or remove a review",
            S,
            Action.BLOCK,
        ),
        _rule(
            "review.window",
            "Review request timing",
            "a review request before shipping or outside 5-30 days after delivery",
            S,
            Action.BLOCK,
        ),
        _rule(
            "review.repeat",
            "Repeated review request",
            "a second review request for the same order",
            S,
            Action.BLOCK,
        ),
        _rule(
            "promo.marketing",
            "Marketing",
            "coupons, discount codes, sales, cross-selling, in-stock notices",
            S,
            Action.BLOCK,
        ),
        _rule(
            "content.thank_you_only",
            "Thank-you-only message",
            "a proactive message that only says thank you or offers generic help",
            S,
            Action.BLOCK,
        ),
        _rule(
            "content.shipping_confirmation",
            "Shipping confirmation",
            "a proactive order, shipment or delivery confirmation",
            S,
            Action.BLOCK,
        ),
        _rule(
            "content.inappropriate",
            "Inappropriate content",
            "profanity, harassment, sensitive content",
            B,
            Action.FLAG,
            "[removed]",
        ),
        _rule(
            "window.proactive",
            "30-day window",
            "a proactive message more than 30 days after the order date",
            S,
            Action.BLOCK,
        ),
        _rule(
            "type.text_length", "Text length", "text over the message type's limit", B, Action.BLOCK
        ),
        _rule(
            "type.important_misuse",
            "Misused [Important] or critical type",
            "[Important] in the subject, or a critical type, on content that is not critical",
            S,
            Action.FLAG,
        ),
        _rule(
            "type.not_allowed",
            "Message type not allowed",
            "a message type the policy does not permit (promotions under the default policy), "
            "or one that needs attachments it does not have",
            S,
            Action.BLOCK,
        ),
        _rule(
            "type.daily_cap",
            "Daily limit",
            "more proactive messages in a day than the seller's cap",
            S,
            Action.BLOCK,
        ),
        _rule("attach.type", "File type", "file types that are not allowed", B, Action.BLOCK),
        _rule(
            "attach.content",
            "File content",
            "file content that does not match its extension, or carries active content",
            B,
            Action.BLOCK,
        ),
        _rule("attach.size", "Attachment size", "more than 10 MB in one message", B, Action.BLOCK),
        _rule("attach.count", "Number of attachments", "more than 5 attachments", B, Action.BLOCK),
        _rule(
            "pair.seller_to_seller",
            "Seller to seller",
            "a seller writing to another seller",
            S,
            Action.BLOCK,
        ),
        _rule(
            "seller.restricted",
            "Restricted seller",
            "proactive messages from a seller whose messaging is restricted",
            S,
            Action.BLOCK,
        ),
    )
}
del S, B

# Rules whose findings are not a piece of text: redacting them means blocking.
NOT_REDACTABLE = frozenset(
    rule_id
    for rule_id in RULES
    if rule_id.split(".")[0]
    in {
        "attach",
        "window",
        "review",
        "pair",
        "seller",
        "type",
        "format",
        "media",
        "promo",
    }
    or rule_id in {"content.thank_you_only", "content.shipping_confirmation", "link.optout"}
)


@dataclass(frozen=True)
class PolicyConfig:
    """What the operator decided; defaults are POLICY.md's."""

    actions: Mapping[str, Action] = field(default_factory=dict)
    allowed_link_domains: frozenset[str] = frozenset({"marketplace.example"})
    phone_regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN", "JP")
    promotions_allowed: bool = False
    proactive_window_days: int = 30
    review_min_days_after_delivery: int = 5
    review_max_days_after_delivery: int = 30
    daily_cap_multiplier: int = 5
    daily_cap_base: int = 600
    restriction_threshold: int = 3
    restriction_lookback_days: int = 30
    restriction_days: int = 30

    def action_for(self, rule_id: str) -> Action:
        return self.actions.get(rule_id, RULES[rule_id].default)

    def with_actions(self, **overrides: Action) -> PolicyConfig:
        """A copy with some rule actions changed; keys use '_' for '.' (contact_email)."""
        actions = dict(self.actions)
        actions.update({key.replace("_", ".", 1): value for key, value in overrides.items()})
        return replace(self, actions=actions)

    def link_domain_allowed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.allowed_link_domains)


DEFAULT_POLICY = PolicyConfig()
