"""Telling a team member that a conversation was given to them: once, and only while it
is still theirs and they want email about new messages now.

- The notice is claimed with a lease (ConversationAssignment.notice_claimed_until): a second
  run while the first is sending does nothing; once the lease has run out, a worker that
  died mid-send is taken for dead and the next run sends.
- It is settled (notified_at) only after the mail server accepted the email, or when it
  turned out not to be needed. Until then beat's rescan (tasks.queue_unsent_notifications)
  queues it again whenever it is not leased. A worker that dies after the server accepted
  the email and before notified_at was written makes it go twice; settling first would lose
  it instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.locale import in_the_locale_of
from messagecenter.accounts.preferences import Kind, wants_now
from messagecenter.core.mail import AUTO_GENERATED
from messagecenter.threads.links import conversation_url
from messagecenter.threads.models import ConversationAssignment, Side
from messagecenter.threads.topic_routing import topic_label

# A worker that claimed a notice and went silent this long is taken for dead.
SENDING_LEASE = timedelta(minutes=5)

# Assignments that call for a notice: to a person, by someone else. (Given back to the
# team, or taken by oneself, nobody needs telling.)
NOTICE_WANTED = Q(assignee__isnull=False) & (
    Q(assigned_by__isnull=True) | ~Q(assignee=F("assigned_by"))
)


def notice_wanted(record: ConversationAssignment) -> bool:
    """NOTICE_WANTED for one row in hand."""
    return record.assignee_id is not None and record.assignee_id != record.assigned_by_id


def _claimable(now: datetime) -> Q:
    return Q(notice_claimed_until__isnull=True) | Q(notice_claimed_until__lt=now)


def unsent_assignment_notices(
    now: datetime, *, assigned_after: datetime, assigned_before: datetime, limit: int = 500
) -> list[int]:
    """Notices of assignments made in that span that are neither settled nor being sent."""
    return list(
        ConversationAssignment.objects.filter(
            NOTICE_WANTED,
            _claimable(now),
            notified_at__isnull=True,
            assigned_at__gte=assigned_after,
            assigned_at__lt=assigned_before,
        ).values_list("pk", flat=True)[:limit]
    )


def send_assignment_notice(assignment_id: int) -> int:
    """Email the assignee once, if the conversation is still theirs and they want it now;
    the number of emails sent by this run.

    A failed send releases the claim (and raises) so the task's retry can send it.
    """
    now = timezone.now()
    claimed = ConversationAssignment.objects.filter(
        _claimable(now), pk=assignment_id, notified_at__isnull=True
    ).update(notice_claimed_until=now + SENDING_LEASE)
    if not claimed:
        return 0
    try:
        email = _notice_email(assignment_id)
        sent = email.send() if email is not None else 0
    except Exception:
        ConversationAssignment.objects.filter(pk=assignment_id).update(notice_claimed_until=None)
        raise
    ConversationAssignment.objects.filter(pk=assignment_id).update(
        notified_at=timezone.now(), notice_claimed_until=None
    )
    return sent


def _notice_email(assignment_id: int) -> EmailMultiAlternatives | None:
    """The notice, or None when it is not needed (any more)."""
    record = ConversationAssignment.objects.select_related(
        "assignee", "assigned_by", "conversation__buyer", "conversation__order"
    ).get(pk=assignment_id)
    conversation, assignee = record.conversation, record.assignee
    if assignee is None or not assignee.is_active or conversation.assigned_to_id != assignee.pk:
        return None
    if not wants_now([assignee], Kind.NEW_MESSAGE):
        return None
    with in_the_locale_of(assignee):
        context = {
            "assignee": assignee,
            "assigned_by": record.assigned_by,
            "conversation": conversation,
            "buyer_name": conversation.buyer.public_name,
            "conversation_url": conversation_url(conversation, Side.SELLER),
            "settings_url": settings.SITE_URL + reverse("notification_settings"),
        }
        if record.by_topic_routing:
            # Translators: the topic is one a buyer chose, such as "Return".
            subject = _("New conversation about %(topic)s for you: %(subject)s") % {
                "topic": topic_label(conversation.topic),
                "subject": conversation.subject,
            }
            context["routed_topic"] = topic_label(conversation.topic)
        elif record.assigned_by:
            subject = _("%(name)s assigned you: %(subject)s") % {
                "name": record.assigned_by.public_name,
                "subject": conversation.subject,
            }
        else:
            subject = _("Someone on your team assigned you: %(subject)s") % {
                "subject": conversation.subject
            }
        return EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("email/assignment.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[assignee.email],
            headers=AUTO_GENERATED,
        )
