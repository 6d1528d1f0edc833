"""Reads for the review queue and for a seller's standing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from compliance.sanitize import preview_text
from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.by_vendor import by_vendor
from messagecenter.core.related_rows import attach_related
from messagecenter.core.single_row import the_row
from messagecenter.messaging.models import Attachment, Message
from messagecenter.moderation.kept_restrictions import restrictions_in_force
from messagecenter.moderation.models import MessageViolation, ReviewDecision, SellerRestriction

QUEUE_PREVIEW_CHARS = 140

# The held message's own columns the review page reads (sender_history: seller, sender).
_REVIEWED_FIELDS = (
    "seller",
    "sender_side",
    "message_type",
    "subject",
    "subject_as_written",
    "body_html",
    "status",
    "created_at",
)
# The people the page names, by their public name's columns.
_REVIEWED_PEOPLE = ("sender", "conversation__buyer")
_NAME_FIELDS = ("display_name", "first_name", "last_name")


def access_message_for_review(user: User, message_id: int) -> Message:
    """The one door to a message under review: staff only; others see 'not found'."""
    if not (user.is_authenticated and user.is_staff):
        raise Http404("No such message.")
    message = the_row(
        Message.objects.select_related(
            "conversation__buyer", "conversation__seller", "conversation__order", "sender"
        )
        # What the page, its decision form and the sender's history use: the rest of the
        # five rows' columns (users' password hashes, the clock, the order's dates) was
        # read and made into objects for nothing.
        .only(
            *_REVIEWED_FIELDS,
            *(f"{person}__{name}" for person in _REVIEWED_PEOPLE for name in _NAME_FIELDS),
            "conversation__seller__name",
            "conversation__order__number",
        )
        # Whether there are files and decisions, in the same query: a held message mostly
        # has neither, and then neither is asked for.
        .annotate(
            has_files=Exists(Attachment.objects.filter(message_id=OuterRef("pk"))),
            has_decisions=Exists(ReviewDecision.objects.filter(message_id=OuterRef("pk"))),
        )
        .filter(pk=message_id)
    )
    if message is None:
        raise Http404("No such message.")
    # Why it was held: every message under review has its violations, so they are read.
    attach_related([message], "violations")
    # The annotations: django-stubs does not carry them through the_row.
    has_files, has_decisions = message.has_files, message.has_decisions  # type: ignore[attr-defined]
    attach_related([message], "attachments", having=[message] if has_files else [])
    _attach_decisions(message, read=has_decisions)
    return message


def _attach_decisions(message: Message, *, read: bool) -> None:
    """The message's decisions, newest first, with who decided in the same query; none read
    when the message's query said it has none."""
    decisions = (
        list(ReviewDecision.objects.filter(message_id=message.pk).select_related("decided_by"))
        if read
        else []
    )
    message.__dict__.setdefault("_prefetched_objects_cache", {})["review_decisions"] = decisions


def held_messages(*, rule: str = "", seller_id: int | None = None) -> QuerySet[Message]:
    """Messages waiting for a decision, oldest first, with what a queue line shows."""
    messages = Message.objects.filter(status=Message.Status.HELD)
    if rule:
        messages = messages.filter(violations__rule=rule).distinct()
    if seller_id:
        messages = messages.filter(conversation__seller_id=seller_id)
    return _with_rules(
        messages.select_related("conversation__buyer", "conversation__seller")
        # A line shows these and nothing else: the rest of the six rows' columns (a
        # user's password hash, the order, the clock) was read and made into objects.
        .only(
            "sender_side",
            "subject",
            "body_html",
            "created_at",
            "conversation__buyer__display_name",
            "conversation__buyer__first_name",
            "conversation__buyer__last_name",
            "conversation__seller__name",
        )
        .order_by("created_at", "id")
    )


@by_vendor
def _with_rules(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Each message with the rules it broke, in the order found, as an array read in the
    same query: a query of their own cost the queue as much as its rows."""
    in_order = MessageViolation.objects.filter(message_id=OuterRef("pk")).order_by("id")
    return messages.annotate(rules=ArraySubquery(in_order.values("rule")))


@_with_rules.sqlite
def _with_rules_sqlite(messages: QuerySet[Message]) -> QuerySet[Message]:
    # SQLite has no arrays: held_rows reads the rules on their own (_rules_of).
    return messages


@by_vendor
def _rules_of(messages: list[Message]) -> dict[int, list[str]]:
    """The rules of messages loaded by ``held_messages``, which read them (PostgreSQL)."""
    return {m.pk: m.rules for m in messages}  # type: ignore[attr-defined]


@_rules_of.sqlite
def _rules_of_sqlite(messages: list[Message]) -> dict[int, list[str]]:
    """The rules in one query as (message, rule) pairs: prefetch_related built a manager, a
    queryset and a model object per violation, a third of the queue's own time."""
    rules: dict[int, list[str]] = defaultdict(list)
    pairs = (
        MessageViolation.objects.filter(message_id__in=[m.pk for m in messages])
        .order_by("id")
        .values_list("message_id", "rule")
    )
    for message_id, rule in pairs if messages else ():
        rules[message_id].append(rule)
    return rules


class HeldRow:
    """One line of the review queue: the message, a plain-text preview, each rule once."""

    def __init__(self, message: Message, rules: Iterable[str]) -> None:
        self.message = message
        self.rules = tuple(dict.fromkeys(rules))
        conversation = message.conversation
        self.seller_name = conversation.seller.name
        self.buyer_name = conversation.buyer.public_name

    @cached_property
    def preview(self) -> str:
        # Only when the line is rendered, not when it is shown as kept (held_row_html).
        return preview_text(self.message.body_html, limit=QUEUE_PREVIEW_CHARS)

    @property
    def version(self) -> tuple[object, ...]:
        """Everything the line shows: its key in the fragment cache."""
        m = self.message
        return (
            m.pk,
            m.created_at,
            m.sender_side,
            m.subject,
            m.body_html,
            self.seller_name,
            self.buyer_name,
            self.rules,
        )


def held_rows(messages: Iterable[Message]) -> list[HeldRow]:
    """Queue lines for held messages loaded by ``held_messages``, with their rules."""
    shown = list(messages)
    rules = _rules_of(shown)
    return [HeldRow(m, rules.get(m.pk, ())) for m in shown]


def sender_history(message: Message, limit: int = 20) -> QuerySet[MessageViolation]:
    """Violations by the same seller business (or the same buyer) in messages sent before
    this one, newest first."""
    if message.sender_side == "seller":
        # The message's own copy of its conversation's seller: no join to conversations.
        scope = {"message__seller_id": message.seller_id, "message__sender_side": "seller"}
    else:
        scope = {"message__sender_id": message.sender_id, "message__sender_side": "buyer"}
    return (
        MessageViolation.objects.filter(**scope)
        .filter(
            Q(message__created_at__lt=message.created_at)
            | Q(message__created_at=message.created_at, message_id__lt=message.pk)
        )
        .select_related("message")
        # What a line of the history shows of its message: when, and what became of it.
        .only("rule", "action", "excerpt", "message__created_at", "message__status")
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
    """The decisions on a message loaded by ``access_message_for_review``, which read them
    with who decided when there were any (a new query here read them a second time), each
    finding's sentence in the reader's language where the decision kept it in every one."""
    decisions = list(message.review_decisions.all())
    language = get_language() or settings.LANGUAGE_CODE
    for decision in decisions:
        decision.findings = [
            {**f, "message": (f.get("messages") or {}).get(language, f.get("message", ""))}
            for f in decision.findings
        ]
    return decisions


def violations_for_reader(message: Message) -> list[MessageViolation]:
    """Why a message was held, each explanation in the reader's (the active) language.

    The rows are only shown, never saved: ``explanation`` is replaced by the reader's
    rendering (MessageViolation.explained) so that every template showing it needs no
    knowledge of languages.
    """
    violations = list(message.violations.all())
    for violation in violations:
        violation.explanation = violation.explained()
    return violations


def active_restrictions_for_member(user: User) -> list[SellerRestriction]:
    """Restrictions in force on the businesses the user works for (for the banner)."""
    ids = business_ids_for_member(user)
    if not ids:
        return []
    return restrictions_in_force(ids, timezone.now())
