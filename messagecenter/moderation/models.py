"""The audit trail of enforcement: what the engine found, what reviewers decided, and
which sellers are restricted, with who, when and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy


class MessageViolation(models.Model):
    """One violation the engine found in a message, kept with the message for good."""

    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, related_name="violations"
    )
    rule = models.CharField(max_length=40, db_index=True)
    action = models.CharField(max_length=8)
    # The sentence in English, the source language: what the audit trail and the admin's
    # search read.
    explanation = models.TextField()
    # The same sentence in every language of settings.LANGUAGES, as the engine rendered it
    # during the check (compliance.engine.Violation.messages): whoever reads the violation
    # later (a reviewer, the sender) is shown it in their own language (``explained``).
    # Kept rendered rather than as a message id and parameters because a rule's sentence is
    # built of translated parts (a type's name, a reason, plural forms, dates); empty on
    # rows kept before languages were.
    explanations = models.JSONField(null=True, blank=True)
    excerpt = models.TextField(blank=True)
    location = models.CharField(max_length=20)
    # The language of the excerpt (ISO 639-1), as the engine read it.
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.rule} ({self.action}) in message {self.message_id}"

    def explained(self) -> str:
        """The explanation in the active language (the reader's); English when the row
        has none in it. The quoted words (``excerpt``) stay as the sender wrote them."""
        language = get_language() or settings.LANGUAGE_CODE
        shown = self.explanations or {}
        return shown.get(language) or shown.get(language.split("-")[0]) or self.explanation


class ReviewDecision(models.Model):
    """What a reviewer decided about a held message, by whom and when.

    An edit keeps both versions: the subject and body as they were held (``*_before``) and
    as the reviewer wrote them (``*_after``), with what the policy found in the edit
    (``findings``). The sender's own text stays on the message (``body_text``).
    """

    class Decision(models.TextChoices):
        APPROVE = "approve", pgettext_lazy("review decision", "Approved")
        REJECT = "reject", pgettext_lazy("review decision", "Rejected")
        EDIT_AND_APPROVE = "edit_approve", pgettext_lazy("review decision", "Edited and approved")

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
    body_before = models.TextField(
        blank=True, help_text="The body as the recipient would have seen it when it was held."
    )
    body_after = models.TextField(blank=True, help_text="The body as the reviewer wrote it.")
    findings = models.JSONField(
        default=list,
        blank=True,
        help_text="What the policy found in the reviewer's edit: rule, action, where, why.",
    )
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
