"""Reads for the review queue and for a seller's standing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from compliance.sanitize import preview_text
from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.messaging.models import Message
from messagecenter.moderation.kept_restrictions import restrictions_in_force
from messagecenter.moderation.models import MessageViolation, ReviewDecision, SellerRestriction

QUEUE_PREVIEW_CHARS = 140


def access_message_for_review(user: User, message_id: int) -> Message:
    """The one door to a message under review: staff only; others see 'not found'."""
    if not (user.is_authenticated and user.is_staff):
        raise Http404("No such message.")
    message = (
        Message.objects.select_related(
            "conversation__buyer", "conversation__seller", "conversation__order", "sender"
        )
        .prefetch_related("violations", "attachments", "review_decisions__decided_by")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    return message


def held_messages(*, rule: str = "", seller_id: int | None = None) -> QuerySet[Message]:
    """Messages waiting for a decision, oldest first."""
    messages = Message.objects.filter(status=Message.Status.HELD)
    if rule:
        messages = messages.filter(violations__rule=rule).distinct()
    if seller_id:
        messages = messages.filter(conversation__seller_id=seller_id)
    return (
        messages.select_related(
            "conversation__buyer", "conversation__seller", "conversation__order", "sender"
        )
        .prefetch_related(Prefetch("violations", queryset=MessageViolation.objects.all()))
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class HeldRow:
    """One line of the review queue: the message, a plain-text preview, each rule once."""

    message: Message
    preview: str
    rules: tuple[str, ...]


def held_rows(messages: Iterable[Message]) -> list[HeldRow]:
    """Queue lines for held messages loaded by ``held_messages`` (violations prefetched)."""
    return [
        HeldRow(
            message=m,
            preview=preview_text(m.body_html, limit=QUEUE_PREVIEW_CHARS),
            rules=tuple(dict.fromkeys(v.rule for v in m.violations.all())),
        )
        for m in messages
    ]


def sender_history(message: Message, limit: int = 20) -> QuerySet[MessageViolation]:
    """Violations by the same seller business (or the same buyer) in messages sent before
    this one, newest first."""
    if message.sender_side == "seller":
        scope = {
            "message__conversation__seller_id": message.conversation.seller_id,
            "message__sender_side": "seller",
        }
    else:
        scope = {"message__sender_id": message.sender_id, "message__sender_side": "buyer"}
    return (
        MessageViolation.objects.filter(**scope)
        .filter(
            Q(message__created_at__lt=message.created_at)
            | Q(message__created_at=message.created_at, message_id__lt=message.pk)
        )
        .select_related("message")
        .order_by("-message__created_at", "-id")[:limit]
    )


def access_restriction_for_staff(user: User, restriction_id: int) -> SellerRestriction:
    """The one door to a seller restriction: staff only; others see 'not found'."""
    if not (user.is_authenticated and user.is_staff):
        raise Http404("No such restriction.")
    restriction = (
        SellerRestriction.objects.select_related("business", "lifted_by")
        .filter(pk=restriction_id)
        .first()
    )
    if restriction is None:
        raise Http404("No such restriction.")
    return restriction


def decisions_for(message: Message) -> list[ReviewDecision]:
    """The decisions on a message loaded by ``access_message_for_review``, which fetched
    them with who decided (a new query here read them a second time)."""
    return list(message.review_decisions.all())


def active_restrictions_for_member(user: User) -> list[SellerRestriction]:
    """Restrictions in force on the businesses the user works for (for the banner)."""
    ids = business_ids_for_member(user)
    if not ids:
        return []
    return restrictions_in_force(ids, timezone.now())
