"""People and the seller businesses they work for.

A user logs in with an email address. The same user may buy (they have orders) and may be a
member, owner or agent, of one or more seller businesses. Staff users are administrators.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    opted_out_of_unsolicited = models.BooleanField(
        default=False,
        help_text=_(
            "As a buyer, receive only messages sellers need to send to complete an "
            "order, and answers in conversations you started."
        ),
    )
    # Blank until set: the language from the browser at the first login
    # (messagecenter.accounts.locale); the zone is the marketplace's until chosen.
    # Checked against settings.LANGUAGES by the forms that set it (no choices here: adding a
    # language is a setting, not a migration).
    # db_default: rows written by raw SQL (the demo's and the benchmarks' COPY) get blanks.
    language = models.CharField(max_length=8, blank=True, default="", db_default="")
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text=_("An IANA time zone name; blank is the marketplace's."),
    )
    # The daily digest (notifications/digests.py): when the last one was settled, and the
    # lease of a worker sending the next.
    last_digest_sent_at = models.DateTimeField(null=True, blank=True)
    digest_claimed_until = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name the other side of a conversation sees: never the email address."""
        return public_name_of(self.display_name, self.first_name, self.last_name)


def public_name_of(display_name: str | None, first_name: str, last_name: str) -> str:
    """User.public_name from the user's columns, for lists that read only those."""
    full = display_name or f"{first_name} {last_name}".strip()  # as get_full_name
    # Translators: the name shown for a buyer who gave none.
    return full or gettext("Customer")


class SellerBusiness(models.Model):
    name = models.CharField(max_length=160, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The business's standing, kept by moderation when it restricts or lifts a restriction
    # (moderation.enforcement keeps the history): the send path reads it from here and
    # needs to know nothing of how it is decided.
    proactive_restricted_until = models.DateTimeField(null=True, blank=True)
    proactive_restriction_reason = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = _("seller businesses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        AGENT = "agent", _("Agent")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    business = models.ForeignKey(
        SellerBusiness, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AGENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "business"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.business}"


class NotificationPreference(models.Model):
    """How often a user wants email of one kind; no row means the kind's default."""

    class Kind(models.TextChoices):
        NEW_MESSAGE = "new_message", _("A new message arrives")
        BOUNCE = "bounce", _("A message of mine could not be delivered")
        REVIEW_DECISION = "review_decision", _("A held message of mine was decided")
        REPLY_DUE = "reply_due", _("A buyer's message is due for an answer")

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY_DIGEST = "daily", _("In a daily digest")
        NEVER = "never", _("Never")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.frequency}"
