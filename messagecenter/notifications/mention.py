"""Telling a teammate an internal note mentions them: once, while they still work for the
conversation's seller and want email about their conversations now.

Claimed and settled as an assignment's notice is (notifications/assignment.py): the
mention is claimed with a lease (NoteMention.notice_claimed_until), so a second run while
the first is sending does nothing; it is settled (notified_at) only after the mail server
accepted the email or when it turned out not to be needed, and beat's rescan
(tasks.queue_unsent_notifications) queues it again while it is neither.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.locale import in_the_locale_of
from messagecenter.accounts.models import Membership
from messagecenter.accounts.preferences import Kind, wants_now
from messagecenter.core.mail import AUTO_GENERATED
from messagecenter.notes.models import NoteMention
from messagecenter.threads.links import conversation_url
from messagecenter.threads.models import Side

# A worker that claimed a notice and went silent this long is taken for dead.
SENDING_LEASE = timedelta(minutes=5)


def _claimable(now: datetime) -> Q:
    return Q(notice_claimed_until__isnull=True) | Q(notice_claimed_until__lt=now)


def unsent_mention_notices(
    now: datetime, *, written_after: datetime, written_before: datetime, limit: int = 500
) -> list[int]:
    """Mentions in notes written in that span whose notice is neither settled nor being sent."""
    return list(
        NoteMention.objects.filter(
            _claimable(now),
            notified_at__isnull=True,
            note__created_at__gte=written_after,
            note__created_at__lt=written_before,
        ).values_list("pk", flat=True)[:limit]
    )


def send_mention_notice(mention_id: int) -> int:
    """Email the mentioned teammate once; the number of emails this run sent.

    A failed send releases the claim (and raises) so the task's retry can send it.
    """
    now = timezone.now()
    claimed = NoteMention.objects.filter(
        _claimable(now), pk=mention_id, notified_at__isnull=True
    ).update(notice_claimed_until=now + SENDING_LEASE)
    if not claimed:
        return 0
    try:
        email = _notice_email(mention_id)
        sent = email.send() if email is not None else 0
    except Exception:
        NoteMention.objects.filter(pk=mention_id).update(notice_claimed_until=None)
        raise
    NoteMention.objects.filter(pk=mention_id).update(
        notified_at=timezone.now(), notice_claimed_until=None
    )
    return sent


def _notice_email(mention_id: int) -> EmailMultiAlternatives | None:
    """The notice, or None when it is not needed (any more)."""
    mention = NoteMention.objects.select_related(
        "user", "note__author", "note__conversation__buyer", "note__conversation__order"
    ).get(pk=mention_id)
    person, note = mention.user, mention.note
    conversation = note.conversation
    still_on_the_team = Membership.objects.filter(
        user=person, business_id=conversation.seller_id
    ).exists()
    if not person.is_active or not still_on_the_team:
        return None
    # A mention is news about one of their conversations: the new-message choice holds.
    if not wants_now([person], Kind.NEW_MESSAGE):
        return None
    with in_the_locale_of(person):
        context = {
            "person": person,
            "author_name": note.author.public_name,
            "note": note,
            "conversation": conversation,
            "buyer_name": conversation.buyer.public_name,
            "conversation_url": conversation_url(conversation, Side.SELLER) + f"#note-{note.pk}",
            "settings_url": settings.SITE_URL + reverse("notification_settings"),
        }
        subject = _("%(name)s mentioned you in an internal note: %(subject)s") % {
            "name": note.author.public_name,
            "subject": conversation.subject,
        }
        return EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("email/note_mention.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            headers=AUTO_GENERATED,
        )
