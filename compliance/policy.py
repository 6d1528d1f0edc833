"""The rules of POLICY.md: their ids, what each catches, and the default action.

Every action here is a default. Operators change them in the admin (see
compliance.models.PolicySettings); the engine only ever reads a PolicyConfig.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    """A rule of the catalogue. Its texts are marked for translation and read through
    ``title``, ``catches`` and ``placeholder``, in the active language."""

    id: str
    name: str | Promise
    description: str | Promise
    applies: Applies
    default: Action
    removed: str | Promise  # what a redaction leaves behind

    @property
    def title(self) -> str:
        return str(self.name)

    @property
    def catches(self) -> str:
        return str(self.description)

    @property
    def placeholder(self) -> str:
        return str(self.removed)

    def applies_to(self, side: str) -> bool:
        return self.applies == Applies.BOTH or side == "seller"


# Translators: what replaces text removed from a message by a rule with no placeholder of
# its own. The brackets show the reader it was not written by the sender.
_REMOVED = pgettext_lazy("redaction placeholder", "[removed]")


def _rule(
    rule_id: str,
    title: str | Promise,
    catches: str | Promise,
    applies: Applies,
    default: Action,
    placeholder: str | Promise | None = None,
) -> RuleInfo:
    # "is None", not "or": a lazy text must not be read before translations are loaded.
    removed = _REMOVED if placeholder is None else placeholder
    return RuleInfo(rule_id, title, catches, applies, default, removed)


S, B = Applies.SELLER, Applies.BOTH
RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        _rule(
            "contact.email",
            pgettext_lazy("policy rule", "Email address"),
            _("email addresses, including disguised ones"),
            B,
            Action.REDACT,
            pgettext_lazy("redaction placeholder", "[email address removed]"),
        ),
        _rule(
            "contact.phone",
            pgettext_lazy("policy rule", "Phone number"),
            _("phone numbers, including spaced, dotted, fullwidth and spelled-out digits"),
            B,
            Action.REDACT,
            pgettext_lazy("redaction placeholder", "[phone number removed]"),
        ),
        _rule(
            "link.external",
            pgettext_lazy("policy rule", "External link"),
            _("links or bare URLs to domains not on the marketplace's allowlist"),
            S,
            Action.BLOCK,
            pgettext_lazy("redaction placeholder", "[link removed]"),
        ),
        _rule(
            "link.optout",
            pgettext_lazy("policy rule", "Opt-out link"),
            _("unsubscribe or opt-out links or wording"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "media.remote_image",
            pgettext_lazy("policy rule", "Remote image"),
            _("images loaded from outside the message, including tracking pixels"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "media.gif",
            pgettext_lazy("policy rule", "Animated GIF"),
            _("animated GIFs in the message body"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "text.emoji",
            pgettext_lazy("policy rule", "Emoji"),
            _("emoji"),
            S,
            Action.BLOCK,
            pgettext_lazy("redaction placeholder", "[emoji removed]"),
        ),
        _rule(
            "format.line_breaks",
            pgettext_lazy("policy rule", "Line breaks"),
            _("more than two line breaks in a row"),
            S,
            Action.FIX,
        ),
        _rule(
            "format.font_sizes",
            pgettext_lazy("policy rule", "Font sizes"),
            _("more than three different font sizes"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "format.styling",
            pgettext_lazy("policy rule", "Styling"),
            _("overriding font family, colour, line height or alignment"),
            S,
            Action.FIX,
        ),
        _rule(
            "review.manipulation",
            pgettext_lazy("policy rule", "Review manipulation"),
            _(
                "asking for positive reviews only, conditional requests, incentives, or asking to "
                "change or remove a review"
            ),
            S,
            Action.BLOCK,
        ),
        _rule(
            "review.window",
            pgettext_lazy("policy rule", "Review request timing"),
            _("a review request before shipping or outside 5-30 days after delivery"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "review.repeat",
            pgettext_lazy("policy rule", "Repeated review request"),
            _("a second review request for the same order"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "promo.marketing",
            pgettext_lazy("policy rule", "Marketing"),
            _("coupons, discount codes, sales, cross-selling, in-stock notices"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "content.thank_you_only",
            pgettext_lazy("policy rule", "Thank-you-only message"),
            _("a proactive message that only says thank you or offers generic help"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "content.shipping_confirmation",
            pgettext_lazy("policy rule", "Shipping confirmation"),
            _("a proactive order, shipment or delivery confirmation"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "content.inappropriate",
            pgettext_lazy("policy rule", "Inappropriate content"),
            _("profanity, harassment, sensitive content"),
            B,
            Action.FLAG,
            pgettext_lazy("redaction placeholder", "[removed]"),
        ),
        _rule(
            "window.proactive",
            pgettext_lazy("policy rule", "30-day window"),
            _("a proactive message more than 30 days after the order date"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "type.text_length",
            pgettext_lazy("policy rule", "Text length"),
            _("text over the message type's limit"),
            B,
            Action.BLOCK,
        ),
        _rule(
            "type.important_misuse",
            pgettext_lazy("policy rule", "Misused [Important] or critical type"),
            _("[Important] in the subject, or a critical type, on content that is not critical"),
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
            pgettext_lazy("policy rule", "Daily limit"),
            _("more proactive messages in a day than the seller's cap"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "attach.type",
            pgettext_lazy("policy rule", "File type"),
            _("file types that are not allowed"),
            B,
            Action.BLOCK,
        ),
        _rule(
            "attach.content",
            pgettext_lazy("policy rule", "File content"),
            _("file content that does not match its extension, or carries active content"),
            B,
            Action.BLOCK,
        ),
        _rule(
            "attach.size",
            pgettext_lazy("policy rule", "Attachment size"),
            _("more than 10 MB in one message"),
            B,
            Action.BLOCK,
        ),
        _rule(
            "attach.count",
            pgettext_lazy("policy rule", "Number of attachments"),
            _("more than 5 attachments"),
            B,
            Action.BLOCK,
        ),
        _rule(
            "pair.seller_to_seller",
            pgettext_lazy("policy rule", "Seller to seller"),
            _("a seller writing to another seller"),
            S,
            Action.BLOCK,
        ),
        _rule(
            "seller.restricted",
            pgettext_lazy("policy rule", "Restricted seller"),
            _("proactive messages from a seller whose messaging is restricted"),
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
