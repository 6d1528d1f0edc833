"""What operators configure, and the audit trail of enforcement.

PolicySettings (one row) and RuleSetting (one row per changed rule) hold the operator's
choices; everything not set falls back to the POLICY.md defaults in compliance.policy.
MessageViolation, ReviewDecision and SellerRestriction record what the engine and the
administrators decided, with who, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from compliance.policy import RULES, Action


class PolicySettings(models.Model):
    """The operator's policy; a single row, edited in the admin."""

    allowed_link_domains = models.TextField(
        default="marketplace.example",
        help_text="Domains sellers may link to, one per line; their subdomains are allowed too.",
    )
    phone_regions = models.CharField(
        max_length=200,
        default="US,GB,DE,FR,IN,JP",
        help_text="Regions whose phone-number formats contact.phone looks for (ISO codes).",
    )
    promotions_allowed = models.BooleanField(
        default=False, help_text="A permissive policy lets sellers send the Promotion type."
    )
    restriction_threshold = models.PositiveIntegerField(
        default=3, help_text="Blocked or rejected messages that restrict a seller."
    )
    restriction_lookback_days = models.PositiveIntegerField(
        default=30, help_text="Over how many days those messages are counted."
    )
    restriction_days = models.PositiveIntegerField(
        default=30, help_text="How long a restriction of proactive messaging lasts."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "messaging policy"
        verbose_name_plural = "messaging policy"

    def __str__(self) -> str:
        return "Messaging policy"


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


class MessageViolation(models.Model):
    """One violation the engine found in a message, kept with the message for good."""

    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, related_name="violations"
    )
    rule = models.CharField(max_length=40, db_index=True)
    action = models.CharField(max_length=8)
    explanation = models.TextField()
    excerpt = models.TextField(blank=True)
    location = models.CharField(max_length=20)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.rule} ({self.action}) in message {self.message_id}"


class ReviewDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        EDIT_AND_APPROVE = "edit_approve", "Subject edited and approved"

    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, related_name="review_decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions"
    )
    decision = models.CharField(max_length=12, choices=Decision.choices)
    reason = models.TextField(blank=True)
    subject_before = models.CharField(max_length=200, blank=True)
    subject_after = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} message {self.message_id}"


class SellerRestriction(models.Model):
    """A period in which a seller may not send proactive messages."""

    business = models.ForeignKey(
        "accounts.SellerBusiness", on_delete=models.CASCADE, related_name="restrictions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.TextField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lifted_restrictions",
    )
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["business", "ends_at"], name="restriction_active")]

    def __str__(self) -> str:
        return f"{self.business} restricted until {self.ends_at:%Y-%m-%d}"
