"""The link that confirms a new sending address: mailed to the address, signed, expiring.

The token is signed with the site's secret (``django.core.signing``, its own salt) and
carries the entry's id and address, so it names exactly one pending entry and stops
working if the entry is removed or the address changes. It expires after
``APPROVED_SENDER_CONFIRM_HOURS``; an owner can mail a fresh one from the settings page.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from messagecenter.core.errors import UserFacingError
from messagecenter.core.mail import AUTO_GENERATED
from messagecenter.relay.models import ApprovedSender
from messagecenter.relay.notice_language import in_the_locale_for_address

_SALT = "messagecenter.relay.approved-sender-confirmation"


def confirmation_token(approved_sender: ApprovedSender) -> str:
    return signing.dumps({"id": approved_sender.pk, "email": approved_sender.email}, salt=_SALT)


def confirmation_url(approved_sender: ApprovedSender) -> str:
    path = reverse("approved_sender_confirm", args=[confirmation_token(approved_sender)])
    return settings.SITE_URL + path


def link_lifetime_hours() -> int:
    return int(settings.APPROVED_SENDER_CONFIRM_HOURS)


def approved_sender_for_token(token: str) -> ApprovedSender:
    """The pending (or already confirmed) entry the link names; UserFacingError otherwise."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=link_lifetime_hours() * 3600)
    except signing.SignatureExpired as error:
        hours = link_lifetime_hours()
        raise UserFacingError(
            ngettext(
                "This confirmation link has expired (links work for %(hours)d hour). Ask "
                "an owner of the business to send a new one from their Sending addresses page.",
                "This confirmation link has expired (links work for %(hours)d hours). Ask "
                "an owner of the business to send a new one from their Sending addresses page.",
                hours,
            )
            % {"hours": hours},
            code="expired",
        ) from error
    except signing.BadSignature as error:
        raise UserFacingError(
            _(
                "This confirmation link is not valid. Open the link exactly as it is in the "
                "email, or ask an owner of the business to send a new one."
            ),
            code="invalid",
        ) from error
    entry = None
    if isinstance(data, dict) and isinstance(data.get("id"), int):
        entry = (
            ApprovedSender.objects.select_related("business")
            .filter(pk=data["id"], email=str(data.get("email", "")))
            .first()
        )
    if entry is None:
        raise UserFacingError(
            _(
                "This address is no longer on the business's list, so there is nothing to "
                "confirm. Ask an owner of the business to add it again."
            ),
            code="removed",
        )
    return entry


def build_confirmation_email(approved_sender: ApprovedSender) -> EmailMessage:
    """The link, in the language of the address's own account if it has one, else in that
    of the owner who added it (the mailbox is their team's), else the marketplace's."""
    added_by = approved_sender.added_by
    fallback = added_by.language if added_by is not None else ""
    with in_the_locale_for_address(approved_sender.email, fallback):
        context = {
            "business": approved_sender.business.name,
            "address": approved_sender.email,
            "url": confirmation_url(approved_sender),
            "hours": link_lifetime_hours(),
            "marketplace": settings.MARKETPLACE_NAME,
        }
        return EmailMessage(
            subject=_("Confirm %(address)s as a sending address for %(business)s") % context,
            body=render_to_string("email/sender_confirmation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[approved_sender.email],
            headers=dict(AUTO_GENERATED),
        )


def send_confirmation(approved_sender_id: int) -> int:
    """Mail the link to a pending address; nothing for a confirmed or removed one."""
    entry = (
        ApprovedSender.objects.select_related("business", "added_by")
        .filter(pk=approved_sender_id, confirmed_at__isnull=True)
        .first()
    )
    if entry is None:
        return 0
    return build_confirmation_email(entry).send()
