"""What operators configure: the messaging policy in force.

PolicySettings (one row) and RuleSetting (one row per changed rule) hold the operator's
choices; everything not set falls back to the POLICY.md defaults in compliance.policy.
What the engine and the administrators decided is recorded by the moderation app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from compliance.policy import RULES, Action


class PolicySettings(models.Model):
    """The operator's policy; a single row, edited in the admin."""

    allowed_link_domains = models.TextField(
        default="marketplace.example",
        help_text=_("Domains sellers may link to, one per line; their subdomains are allowed too."),
    )
    phone_regions = models.CharField(
        max_length=200,
        default="US,GB,DE,FR,IN,JP",
        help_text=_("Regions whose phone-number formats contact.phone looks for (ISO codes)."),
    )
    promotions_allowed = models.BooleanField(
        default=False, help_text=_("A permissive policy lets sellers send the Promotion type.")
    )
    restriction_threshold = models.PositiveIntegerField(
        default=3, help_text=_("Blocked or rejected messages that restrict a seller.")
    )
    restriction_lookback_days = models.PositiveIntegerField(
        default=30, help_text=_("Over how many days those messages are counted.")
    )
    restriction_days = models.PositiveIntegerField(
        default=30, help_text=_("How long a restriction of proactive messaging lasts.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("messaging policy")
        verbose_name_plural = _("messaging policy")

    def __str__(self) -> str:
        return str(_("Messaging policy"))


class RuleSetting(models.Model):
    """An operator's action for one rule, overriding the POLICY.md default."""

    policy = models.ForeignKey(PolicySettings, on_delete=models.CASCADE, related_name="rules")
    rule = models.CharField(max_length=40, choices=[(r, r) for r in RULES])
    action = models.CharField(max_length=8, choices=[(a.value, a.value) for a in Action])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy", "rule"], name="one_setting_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.action}"
