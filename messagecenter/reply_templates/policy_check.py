"""The policy engine's word on a template before it is saved.

The template is filled with representative sample values (values.py) and judged by the
engine the send path uses (compliance.engine.check_message with the current policy), once
for each message type it is limited to, or as a reply when it is not limited. The sample
order is one the timing rules allow (ordered 12 days ago, delivered 7 days ago), so only
what the words say can stop a template here. Files are only known when a message is sent:
a type that needs one is not refused for lacking it. The filled message is judged again
on Send, with the order's real values: this check does not replace that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext

from compliance.config import current_policy
from compliance.engine import MessageDraft, OrderFacts, Violation, check_message
from compliance.message_types import MESSAGE_TYPES
from compliance.policy import RULES, Action
from messagecenter.accounts.models import SellerBusiness
from messagecenter.reply_templates.placeholders import fill
from messagecenter.reply_templates.values import sample_values

REPLY = "reply"


@dataclass(frozen=True)
class TemplateFinding:
    """A violation the engine found in the template filled with sample values, for one
    message type."""

    message_type: str
    violation: Violation

    @property
    def blocks(self) -> bool:
        return self.violation.action == Action.BLOCK

    def explanation(self) -> str:
        """The finding in the active language: the type, the rule and the engine's reason."""
        kind = MESSAGE_TYPES.get(self.message_type)
        rule = RULES.get(self.violation.rule)
        text = gettext("As “%(type)s”: %(rule)s (%(rule_id)s): %(reason)s") % {
            "type": kind.label if kind is not None else self.message_type,
            "rule": rule.title if rule is not None else self.violation.rule,
            "rule_id": self.violation.rule,
            "reason": self.violation.message,
        }
        if self.violation.excerpt:
            text += " “" + self.violation.excerpt + "”"
        return text


def template_findings(
    *, body: str, message_types: list[str], business: SellerBusiness
) -> list[TemplateFinding]:
    """What the policy would do with this template, for each type it may be sent as."""
    now = timezone.now()
    text = fill(body, sample_values(business)).text
    sample_order = OrderFacts(
        ordered_at=now - timedelta(days=12),
        shipped_at=now - timedelta(days=11),
        delivered_at=now - timedelta(days=7),
    )
    policy = current_policy()
    findings: list[TemplateFinding] = []
    for message_type in message_types or [REPLY]:
        verdict = check_message(
            MessageDraft(
                sender_side="seller",
                message_type=message_type,
                body=text,
                order=sample_order,
                reply_to_buyer=message_type == REPLY,
                sent_at=now,
            ),
            policy,
        )
        findings.extend(
            TemplateFinding(message_type, violation)
            for violation in verdict.violations
            if violation.location != "attachments"
        )
    return findings
