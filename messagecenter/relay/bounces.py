"""Bounces of the email copies the relay sent: which message bounced, kept, and told.

A relayed email leaves from the sender's masked address, so the recipient's mail server
returns its delivery-status notification there. The report is matched to the message by
the returned email's Message-ID (one the relay gave a message of this pair and side);
when the report carries no Message-ID, by the masked address and the failed recipient:
the newest emailed message of that side whose recipients include that address. A report
that names another Message-ID, or a recipient the message never went to, matches nothing
(it is backscatter for mail we did not send).

Reports are never relayed, answered or stored as messages: a permanent failure is kept as
an ``EmailBounce`` and shown to the sender in the conversation; a delay is only logged
(the sending server keeps trying, and reports again if it gives up).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message
from messagecenter.relay.delivery_reports import DeliveryReport, RecipientStatus
from messagecenter.relay.models import EmailBounce, ProxyAddressPair
from messagecenter.threads.models import Side

_ADDRESS = re.compile(r"<?[^\s<>@\"'(),;:]+@[^\s<>@\"'(),;:]+>?")
_DIAGNOSTIC_LIMIT = 300
# What the most common status codes (RFC 3463, class digit dropped) mean, for people.
_STATUS_WORDS = {
    "1.1": gettext_noop("the mailbox does not exist"),
    "1.2": gettext_noop("the recipient's mail domain does not exist"),
    "1.10": gettext_noop("the mailbox does not exist"),
    "2.1": gettext_noop("the mailbox is disabled"),
    "2.2": gettext_noop("the mailbox is full"),
    "3.4": gettext_noop("the email is too large for the recipient's server"),
    "4.7": gettext_noop("the recipient's server could not be reached in time"),
    "7.1": gettext_noop("the recipient's server refused it"),
}


@dataclass(frozen=True)
class BounceOutcome:
    """What became of one report: the bounces kept, and a sentence for the log."""

    bounces: tuple[EmailBounce, ...]
    summary: str


def _recipient_addresses(message: Message) -> set[str]:
    """Every address the message's email copy may have gone to."""
    conversation = message.conversation
    if message.sender_side == Side.SELLER:
        return {conversation.buyer.email.lower()}
    return {
        email.lower()
        for email in User.objects.filter(
            memberships__business_id=conversation.seller_id
        ).values_list("email", flat=True)
    }


def _emailed_messages(pair: ProxyAddressPair, side: Side) -> QuerySet[Message]:
    return (
        Message.objects.filter(
            conversation__buyer_id=pair.buyer_id,
            conversation__seller_id=pair.seller_id,
            sender_side=side,
        )
        .exclude(email_message_id="")
        .select_related("conversation__buyer")
    )


def bounced_message(
    pair: ProxyAddressPair, side: Side, report: DeliveryReport, failed: RecipientStatus
) -> Message | None:
    """The message whose email copy this report is about; None when it matches nothing."""
    messages = _emailed_messages(pair, side)
    if report.original_message_id:
        found = report.original_message_id
        return (
            messages.filter(email_message_id__in={found, found.strip("<>")}).order_by("-id").first()
        )
    addresses = {a for a in (failed.final_recipient, failed.original_recipient) if a}
    if not addresses:
        return None
    for message in messages.filter(notification_sent_at__isnull=False).order_by("-id")[:20]:
        if addresses & _recipient_addresses(message):
            return message
    return None


def record_delivery_report(
    *, pair: ProxyAddressPair, side: Side, report: DeliveryReport, report_message_id: str
) -> BounceOutcome:
    """Keep the permanent failures the report names; say what was done with it."""
    if not report.recipients:
        return BounceOutcome((), "Delivery report with no recipient status; ignored.")
    kept: list[EmailBounce] = []
    notes: list[str] = []
    for status in report.recipients:
        code = status.status or status.action or "no status"
        if not (status.failed or status.delayed):
            notes.append(f"{status.action or 'report'} ({code}); nothing to do.")
            continue
        message = bounced_message(pair, side, report, status)
        if message is None:
            notes.append(f"{status.action} ({code}) matches no message we relayed; ignored.")
            continue
        if status.delayed:
            notes.append(
                f"Delivery of message {message.pk} delayed ({code}); not marked bounced, "
                "the sending server keeps trying."
            )
            continue
        bounce, _created = EmailBounce.objects.update_or_create(
            message=message,
            recipient_address=(status.final_recipient or status.original_recipient)[:998],
            defaults={
                "status": status.status,
                "diagnostic": status.diagnostic,
                "report_message_id": report_message_id[:998],
            },
        )
        kept.append(bounce)
        notes.append(f"Email of message {message.pk} bounced ({code}).")
    return BounceOutcome(tuple(kept), " ".join(notes))


# --- what the sender is told -----------------------------------------------------------------


@dataclass(frozen=True)
class BounceNote:
    """A bounce as the sender sees it in the conversation: no address of the other side."""

    recipient: str  # "the buyer" or "the seller"
    reason: str


def _reason(bounce: EmailBounce) -> str:
    detail = bounce.status.partition(".")[2]
    words = _STATUS_WORDS.get(detail, "")
    diagnostic = _ADDRESS.sub(_("[address hidden]"), " ".join(bounce.diagnostic.split()))
    if len(diagnostic) > _DIAGNOSTIC_LIMIT:
        diagnostic = diagnostic[: _DIAGNOSTIC_LIMIT - 1] + "…"
    if words and diagnostic:
        return f"{_(words)} ({diagnostic})"
    if diagnostic:
        return diagnostic
    if words:
        return _(words)
    return _("their mail server refused it (status %(status)s)") % {
        "status": bounce.status or _("unknown")
    }


def bounce_notes_for(messages: Iterable[Message], side: Side | str) -> dict[int, list[BounceNote]]:
    """The bounces of the viewer's side's own messages, by message id, in one query."""
    own = [m.pk for m in messages if m.sender_side == side]
    notes: dict[int, list[BounceNote]] = defaultdict(list)
    if not own:
        return notes
    recipient = _("the buyer") if side == Side.SELLER else _("the seller")
    for bounce in EmailBounce.objects.filter(message_id__in=own).order_by("received_at", "id"):
        notes[bounce.message_id].append(BounceNote(recipient=recipient, reason=_reason(bounce)))
    return dict(notes)
