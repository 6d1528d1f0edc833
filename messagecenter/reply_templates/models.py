"""A seller business's canned replies: text with placeholders filled from the order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from compliance.message_types import MESSAGE_TYPES
from messagecenter.accounts.models import SellerBusiness


class ReplyTemplate(models.Model):
    """A reply a seller's team writes once and inserts into many messages.

    ``name`` is the short handle typed after "/" in the editor, unique per business
    whatever its case. ``body`` is plain text, as the compose form takes it, with
    placeholders such as ``{buyer_name}`` (reply_templates/placeholders.py).
    ``message_types`` limits the template to some of the seller's message types (ids of
    compliance/message_types.py); empty means any type.
    """

    business = models.ForeignKey(
        SellerBusiness, on_delete=models.CASCADE, related_name="reply_templates"
    )
    name = models.CharField(_("name"), max_length=40)
    body = models.TextField(_("text"))
    message_types = models.JSONField(_("message types"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["business", Lower("name")]
        constraints = [
            models.UniqueConstraint(
                "business", Lower("name"), name="reply_template_name_unique_per_business"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def allows_type(self, message_type: str) -> bool:
        return not self.message_types or message_type in self.message_types

    @property
    def type_labels(self) -> list[str]:
        """The names of the types it is limited to, in the active language."""
        return [MESSAGE_TYPES[t].label for t in self.message_types if t in MESSAGE_TYPES]
