"""Recording what the engine found, and restricting sellers who keep breaking the rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.engine import Verdict
from compliance.policy import PolicyConfig
from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import MessageViolation, ReviewDecision, SellerRestriction

# Mistakes of form rather than conduct: they block a message but do not count toward a
# restriction (a seller who pastes a long text three times is not a spammer).
NOT_COUNTED_FOR_RESTRICTION = frozenset(
    {
        "type.text_length",
        "type.not_allowed",
        "type.daily_cap",
        "attach.count",
        "attach.size",
        "attach.type",
        "seller.restricted",
        "review.window",
    }
)


def active_restriction(business_id: int, now: datetime) -> SellerRestriction | None:
    return (
        SellerRestriction.objects.filter(
            business_id=business_id, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now
        )
        .order_by("-ends_at")
        .first()
    )


def record_violations(message: Message, verdict: Verdict) -> None:
    MessageViolation.objects.bulk_create(
        MessageViolation(
            message=message,
            rule=v.rule,
            action=v.action.value,
            explanation=v.message_in(settings.LANGUAGE_CODE),
            explanations=dict(v.messages),
            excerpt=v.excerpt[:2000],
            location=v.location,
            language=v.language,
        )
        for v in verdict.violations
    )


def count_recent_offences(business_id: int, since: datetime) -> int:
    """Blocked messages for a conduct rule, plus messages rejected by review, since then."""
    conduct = MessageViolation.objects.filter(message=OuterRef("pk")).exclude(
        rule__in=NOT_COUNTED_FOR_RESTRICTION
    )
    blocked = Message.objects.filter(
        conversation__seller_id=business_id,
        sender_side="seller",
        status=Message.Status.BLOCKED,
        created_at__gte=since,
    ).filter(Exists(conduct))
    rejected = ReviewDecision.objects.filter(
        message__conversation__seller_id=business_id,
        decision=ReviewDecision.Decision.REJECT,
        decided_at__gte=since,
    )
    return blocked.count() + rejected.count()


def restrict_if_repeated(
    *, business_id: int, now: datetime, policy: PolicyConfig
) -> SellerRestriction | None:
    """Restrict proactive messaging once offences reach the threshold; None otherwise."""
    if active_restriction(business_id, now) is not None:
        return None
    since = now - timedelta(days=policy.restriction_lookback_days)
    lifted_recently = (
        SellerRestriction.objects.filter(business_id=business_id, lifted_at__gte=since)
        .order_by("-lifted_at")
        .first()
    )
    if lifted_recently is not None and lifted_recently.lifted_at:
        since = lifted_recently.lifted_at  # offences before staff lifted it were forgiven
    offences = count_recent_offences(business_id, since)
    if offences < policy.restriction_threshold:
        return None
    restriction = SellerRestriction.objects.create(
        business_id=business_id,
        starts_at=now,
        ends_at=now + timedelta(days=policy.restriction_days),
        # Kept as text (staff may also write one) and shown to the seller inside "Your
        # proactive messaging is restricted until {date} because {reason}.": written in the
        # language of the request that restricted, the seller team's own.
        reason=ngettext(
            "%(offences)d message was blocked or rejected for breaking the messaging policy "
            "in the last %(days)d days",
            "%(offences)d messages were blocked or rejected for breaking the messaging policy "
            "in the last %(days)d days",
            offences,
        )
        % {"offences": offences, "days": policy.restriction_lookback_days},
    )
    business_standing_refresh(business_id, now)
    return restriction


def restriction_lift(
    *, restriction: SellerRestriction, by: User, reason: str, now: datetime
) -> SellerRestriction:
    """End a restriction before its time, recording who lifted it and why.

    The reason is required: it is the audit's answer to "why may this seller send
    proactive messages again?".
    """
    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            _(
                "Not lifted: write why the restriction is lifted (for example, the appeal "
                "you upheld). It is kept with your name in the restriction's record."
            ),
            field="reason",
        )
    with transaction.atomic():
        current = SellerRestriction.objects.select_for_update().get(pk=restriction.pk)
        if current.lifted_at is not None:
            raise UserFacingError(
                _("This restriction was already lifted on %(date)s.")
                % {"date": formats.date_format(current.lifted_at, "DATE_FORMAT")}
            )
        if current.ends_at <= now:
            raise UserFacingError(_("This restriction has already ended: nothing to lift."))
        current.lifted_at = now
        current.lifted_by = by
        current.lift_reason = reason
        current.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        business_standing_refresh(current.business_id, now)
    return current


def business_standing_refresh(business_id: int, now: datetime) -> None:
    """Copy the restriction in force (or none) onto the business, where sending reads it."""
    current = active_restriction(business_id, now)
    SellerBusiness.objects.filter(pk=business_id).update(
        proactive_restricted_until=current.ends_at if current else None,
        proactive_restriction_reason=current.reason if current else "",
    )
