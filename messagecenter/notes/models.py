"""Internal notes in a conversation, and the teammates each one mentions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Long enough for a handover ("what I promised, what to check"), short enough to read.
NOTE_MAX_LENGTH = 4000


class ConversationNote(models.Model):
    """A note a member of the seller's team left in a conversation, for the team only.

    ``body`` is the text as written; ``body_html`` is what the page shows, made once when
    the note is stored (notes/rendering.py): the text escaped, its line breaks kept and its
    mentions of teammates marked. Nothing the writer typed is ever shown unescaped.
    """

    conversation = models.ForeignKey(
        "threads.Conversation", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversation_notes"
    )
    body = models.TextField(max_length=NOTE_MAX_LENGTH)
    body_html = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        indexes = [
            # The conversation page's newest notes, read from the index in order.
            models.Index(fields=["conversation", "-created_at", "-id"], name="note_conv_recent"),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk} in conversation {self.conversation_id}"


class NoteMention(models.Model):
    """A teammate a note mentions, and the email telling them: claimed with a lease
    (``notice_claimed_until``) and settled (``notified_at``) once the mail server accepted
    it or it turned out not to be needed, as an assignment's notice is
    (notifications/mention.py)."""

    note = models.ForeignKey(ConversationNote, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_mentions"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    notice_claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="one_mention_per_note_and_user")
        ]
        indexes = [
            # Beat's rescan for notices a lost task or a dead worker left unsent.
            models.Index(
                fields=["id"],
                condition=models.Q(notified_at__isnull=True),
                name="note_mention_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"User {self.user_id} mentioned in note {self.note_id}"
