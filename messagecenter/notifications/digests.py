"""The daily digest: one email with what a person chose not to be emailed about at once.

Beat runs the digests every hour; a person's is due a day after their last. It is claimed
with a lease (User.digest_claimed_until) and settled (last_digest_sent_at) only after the
mail server accepted it, or when there was nothing new: a worker that dies while sending
it leaves it due, and the first hourly run after the lease has run out sends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.locale import in_the_locale_of
from messagecenter.accounts.models import NotificationPreference, User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import ReviewDecision

DIGEST_EVERY = timedelta(hours=24)
# A worker that claimed a digest and went silent this long is taken for dead.
SENDING_LEASE = timedelta(minutes=5)
Kind = NotificationPreference.Kind


def _due(now: datetime) -> Q:
    return Q(last_digest_sent_at__isnull=True) | Q(last_digest_sent_at__lte=now - DIGEST_EVERY)


def _claimable(now: datetime) -> Q:
    return Q(digest_claimed_until__isnull=True) | Q(digest_claimed_until__lt=now)


def users_due_a_digest(now: datetime) -> list[User]:
    """People with a daily choice whose last digest was a day ago or never, and whose
    digest nobody is sending."""
    return list(
        User.objects.filter(
            _due(now),
            _claimable(now),
            is_active=True,
            notification_preferences__frequency=NotificationPreference.Frequency.DAILY_DIGEST,
        ).distinct()
    )


def digest_items(user: User, since: datetime) -> dict[str, Any]:
    daily = set(
        user.notification_preferences.filter(
            frequency=NotificationPreference.Frequency.DAILY_DIGEST
        ).values_list("kind", flat=True)
    )
    items: dict[str, Any] = {}
    if Kind.NEW_MESSAGE in daily:
        to_me = Q(conversation__buyer=user, sender_side="seller") | Q(
            conversation__seller_id__in=business_ids_for_member(user), sender_side="buyer"
        )
        items["new_messages"] = list(
            Message.objects.filter(
                to_me, status=Message.Status.DELIVERED, is_automatic=False, delivered_at__gt=since
            )
            .select_related("conversation__seller", "conversation__buyer", "conversation__order")
            .order_by("delivered_at")[:50]
        )
    if Kind.BOUNCE in daily:
        items["bounces"] = list(
            Message.objects.filter(
                sender=user, status=Message.Status.UNDELIVERABLE, created_at__gt=since
            ).select_related("conversation__order")[:50]
        )
    if Kind.REPLY_DUE in daily:
        # Buyers waiting now, not since the last digest: a snapshot, empty when nobody waits.
        from messagecenter.threads.selectors import waiting_summary

        items["reply_due"] = waiting_summary(user)
    if Kind.REVIEW_DECISION in daily:
        items["decisions"] = list(
            ReviewDecision.objects.filter(
                message__sender=user, decided_at__gt=since
            ).select_related("message__conversation__order")[:50]
        )
    return items


def send_digest(user: User, now: datetime) -> bool:
    """Claim the user's digest for this day and send it; False if there was nothing new or
    another worker has it. A failed send releases the claim (and raises)."""
    since = user.last_digest_sent_at or (now - DIGEST_EVERY)
    # The lease counts from the claim, which may come a while into a long run.
    claimed_at = timezone.now()
    claimed = User.objects.filter(_due(now), _claimable(claimed_at), pk=user.pk).update(
        digest_claimed_until=claimed_at + SENDING_LEASE
    )
    if not claimed:
        return False
    try:
        sent = _send(user, since)
    except Exception:
        User.objects.filter(pk=user.pk).update(digest_claimed_until=None)
        raise
    User.objects.filter(pk=user.pk).update(last_digest_sent_at=now, digest_claimed_until=None)
    return sent


def _send(user: User, since: datetime) -> bool:
    with in_the_locale_of(user):
        items = digest_items(user, since)
        if not any(items.values()):
            return False
        seller_inbox = settings.SITE_URL + reverse("seller_inbox")
        context = {
            "user": user,
            "items": items,
            "inbox_url": settings.SITE_URL + reverse("home"),
            # The seller's inbox filtered for the digest's two links (email/digest_reply_due).
            "awaiting_url": seller_inbox + "?filter=awaiting&sort=due",
            "due_soon_url": seller_inbox + "?filter=due-soon&sort=due",
            "settings_url": settings.SITE_URL + reverse("notification_settings"),
        }
        email = EmailMultiAlternatives(
            subject=_("Your daily summary from %(marketplace)s")
            % {"marketplace": settings.MARKETPLACE_NAME},
            body=render_to_string("email/digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
    return bool(email.send())


def send_due_digests(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(send_digest(user, now) for user in users_due_a_digest(now))
