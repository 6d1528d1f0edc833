"""Write a planned marketplace (plan.py) into the database with PostgreSQL COPY.

Rows are written as the app would have left them: denormalised conversation fields, due
times and answers, read markers, reminders, violations, masked addresses, the log of
inbound email. Every message text is judged by the policy engine first, so the stored
HTML, previews and violations are the engine's own, and a text that no longer gets the
verdict the plan expects stops the seeding. Ids are given explicitly (in time order) and
the sequences are moved past them at the end. The caller holds the transaction.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from psycopg.types.json import Jsonb

from bench.scale import plan as planned
from bench.scale import texts
from bench.scale.timeline import BUYER, ConversationPlan, PlannedMessage
from compliance.engine import MessageDraft, OrderFacts, check_message
from compliance.sanitize import preview_text
from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.clock.models import ReplyReminder
from messagecenter.clock.rollup import BUSINESS_TABLE as ROLLUP_BUSINESS_TABLE
from messagecenter.clock.rollup import MEMBER_TABLE as ROLLUP_MEMBER_TABLE
from messagecenter.clock.rollup import rollup_rebuild
from messagecenter.messaging.models import Attachment, Message, ProactiveSendCount
from messagecenter.messaging.proactive_counts import recount_proactive_sends
from messagecenter.moderation.models import MessageViolation, ReviewDecision
from messagecenter.relay.loops import email_shape
from messagecenter.relay.models import EmailBounce, InboundEmail, ProxyAddressPair
from messagecenter.threads.models import Conversation, ConversationAssignment, ReadState
from orders.models import Order, OrderLine, Product, SellerOrderDay
from orders.order_counts import recount_seller_order_days

WITH_EXPLICIT_IDS = (User, SellerBusiness, Product, Order, Conversation, Message)
CONVERSATION_FIELDS = (
    "id", "buyer", "seller", "order", "product", "subject", "started_by", "created_at",
    "last_message_at", "last_message_side", "last_message_preview", "last_buyer_message_at",
    "last_seller_message_at", "reply_due_at", "assigned_to",
)  # fmt: skip

MESSAGE_FIELDS = (
    "id", "conversation", "seller", "sender", "sender_side", "message_type", "subject",
    "subject_as_written", "body_text", "body_html", "verdict", "rejection_reason",
    "delivered_at", "via", "status", "created_at", "notification_sent_at", "email_message_id",
    "is_automatic", "reply_due_at", "answered_at", "answered_by_message", "response_seconds",
    "no_response_needed_at", "no_response_needed_by", "late_at",
)  # fmt: skip

USER_FIELDS = (
    "id", "password", "is_superuser", "first_name", "last_name", "is_staff", "is_active",
    "date_joined", "email", "display_name", "opted_out_of_unsolicited",
)  # fmt: skip

ORDER_FIELDS = (
    "id", "number", "buyer", "seller", "status", "ordered_at", "shipped_at",
    "earliest_delivery_date", "latest_delivery_date", "delivered_at",
)  # fmt: skip

REMINDER_FIELDS = (
    "message", "conversation", "hours_before", "due_at", "created_at", "queued_at",
    "sending_since", "finished_at", "outcome", "recipient_count",
)  # fmt: skip

DECISION_FIELDS = (
    "message", "decided_by", "decision", "reason", "subject_before", "subject_after",
    "body_before", "body_after", "findings", "decided_at",
)  # fmt: skip

INBOUND_FIELDS = (
    "header_message_id", "envelope_from", "recipient", "outcome", "reason", "message", "size",
    "shape", "received_at",
)  # fmt: skip

BOUNCE_FIELDS = (
    "message", "recipient_address", "status", "diagnostic", "report_message_id", "received_at",
)  # fmt: skip

BOUNCE_EVERY = 997  # one seller message in about a thousand bounced at the buyer's server


@dataclass(frozen=True)
class Judged:
    html: str
    preview: str
    verdict: str
    violations: tuple[tuple[str, str, str, str, str, str], ...]


def judge_texts(now: datetime) -> list[Judged]:
    """What the policy engine makes of each text, as the send path would store it."""
    judged = []
    for text in texts.TEXTS:
        kind = text.message_type or (
            "reply"
            if text.side != BUYER
            else "product_question"
            if text.role == texts.BUYER_QUESTION
            else "buyer_inquiry"
        )
        verdict = check_message(
            MessageDraft(
                sender_side=text.side,
                message_type=kind,
                subject="Order 112-4821907-0000001",
                body=text.body,
                order=OrderFacts(ordered_at=now - timedelta(days=3)),
                reply_to_buyer=kind == "reply",
                sent_at=now,
            )
        )
        if verdict.verdict != text.verdict:
            raise RuntimeError(
                f"The policy now says {verdict.verdict!r}, not {text.verdict!r}, of the "
                f"bench text {text.body!r}: update bench/scale/texts.py."
            )
        judged.append(
            Judged(
                html=verdict.body_html,
                preview=preview_text(verdict.body_html),
                verdict=verdict.verdict,
                violations=tuple(
                    (v.rule, v.action.value, v.message, v.excerpt[:2000], v.location, v.language)
                    for v in verdict.violations
                ),
            )
        )
    return judged


def _at(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _day(seconds: float | None) -> date | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).date()


def _subject(m: PlannedMessage) -> str:
    """A conversation's first message has its subject, the rest answer it ("Re: ...")."""
    conversation = m.conversation
    if m is conversation.messages[0]:
        return conversation.subject
    return f"Re: {conversation.subject}"[:200]


def _seconds_between(start: float, end: float) -> int:
    """Whole seconds between two stored times, as the reply clock counts them."""
    begun, ended = _at(start), _at(end)
    assert begun is not None and ended is not None
    return max(0, int((ended - begun).total_seconds()))


def copy_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY the rows into the model's table; `fields` are model field names."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)  # type: ignore[union-attr]
    count = 0
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


class Loader:
    def __init__(self, plan: planned.Plan) -> None:
        self.plan = plan
        self.now = _at(plan.now)
        assert self.now is not None
        self.judged = judge_texts(self.now)
        self.domain = settings.MESSAGECENTER_EMAIL_DOMAIN
        self.emails = {u.id: u.email for u in plan.users}
        self.rng = random.Random(plan.now)
        self.counts: dict[str, int] = {}

    def _copy(self, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
        self.counts[model._meta.db_table] = copy_rows(model, fields, rows)

    def load(self) -> dict[str, int]:
        self.people()
        self.businesses()
        self.catalogue()
        self._copy(
            Conversation,
            CONVERSATION_FIELDS,
            map(self.conversation_row, self.plan.conversations),
        )
        self._copy(
            Message,
            MESSAGE_FIELDS,
            map(self.message_row, self.plan.messages),
        )
        self.around_conversations()
        self.around_messages()
        # The daily cap's counter rows, as the send path would have kept them.
        self.counts[ProactiveSendCount._meta.db_table] = recount_proactive_sends()
        # Its order volume's rows, as Order.save would have kept them.
        recount_seller_order_days()
        self.counts[SellerOrderDay._meta.db_table] = SellerOrderDay.objects.count()
        with connection.cursor() as cursor:
            # The performance page reads this rollup: the app keeps it as replies land and
            # clocks run out, so a marketplace written by COPY must have it counted, or the
            # page is timed reading no rows.
            rollup_rebuild(cursor)
            for table in (ROLLUP_BUSINESS_TABLE, ROLLUP_MEMBER_TABLE):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                self.counts[table] = cursor.fetchone()[0]
            for statement in connection.ops.sequence_reset_sql(no_style(), WITH_EXPLICIT_IDS):
                cursor.execute(statement)
        return self.counts

    def people(self) -> None:
        bench_password = make_password(planned.BENCH_PASSWORD)
        named = {
            planned.ADMIN,
            planned.HEAVY_BUYER,
            planned.SMALL_BUYER,
            planned.HEAVY_SELLER_OWNER,
            planned.SMALL_SELLER_OWNER,
        }
        joined = self.now - timedelta(days=730)
        self._copy(
            User,
            USER_FIELDS,
            (
                (
                    u.id,
                    bench_password if u.email in named else "!",
                    u.is_staff,
                    u.first_name,
                    u.last_name,
                    u.is_staff,
                    True,
                    joined,
                    u.email,
                    f"{u.first_name} {u.last_name}",
                    u.opted_out,
                )
                for u in self.plan.users
            ),
        )

    def businesses(self) -> None:
        founded = self.now - timedelta(days=1100)
        businesses = self.plan.businesses
        self._copy(
            SellerBusiness,
            ["id", "name", "created_at", "proactive_restriction_reason"],
            ((b.team.id, b.name, founded, "") for b in businesses),
        )
        self._copy(
            Membership,
            ["user", "business", "role", "created_at"],
            (
                (user, b.team.id, "owner" if user == b.team.owner else "agent", founded)
                for b in businesses
                for user in (b.team.owner, *b.team.agents)
            ),
        )

    def catalogue(self) -> None:
        self._copy(
            Product,
            ["id", "seller", "title", "sku", "price", "is_active"],
            ((p.id, p.seller, p.title, p.sku, p.price, True) for p in self.plan.products),
        )
        orders = self.plan.orders
        self._copy(
            Order,
            ORDER_FIELDS,
            (
                (
                    o.id,
                    o.number,
                    o.buyer,
                    o.seller,
                    o.status,
                    _at(o.ordered_at),
                    _at(o.shipped_at),
                    _day(o.earliest_delivery),
                    _day(o.latest_delivery),
                    _at(o.delivered_at),
                )
                for o in orders
            ),
        )
        self._copy(
            OrderLine,
            ["order", "product", "title", "sku", "quantity", "unit_price"],
            (
                (o.id, p.id, p.title, p.sku, quantity, p.price)
                for o in orders
                for p, quantity in o.lines
            ),
        )

    def conversation_row(self, c: ConversationPlan) -> tuple:
        delivered = c.delivered
        last = delivered[-1]
        order, product = c.order, c.product
        return (
            c.id,
            c.buyer,
            c.team.id,
            order.id if order is not None else None,  # type: ignore[attr-defined]
            product.id if product is not None else None,  # type: ignore[attr-defined]
            c.subject,
            c.started_by,
            _at(delivered[0].at),
            _at(last.at),
            last.side,
            self.judged[last.text].preview,
            _at(c.last_from("buyer")),
            _at(c.last_from("seller")),
            _at(c.reply_due_at),
            c.assigned_to,
        )

    def message_row(self, m: PlannedMessage) -> tuple:
        conversation = m.conversation
        judged = self.judged[m.text]
        status = m.status
        delivered = status == "delivered"
        subject = _subject(m)
        answer = m.answered_by
        return (
            m.id,
            conversation.id,
            conversation.team.id,
            m.sender,
            m.side,
            m.message_type,
            subject,
            subject,
            texts.TEXTS[m.text].body,
            judged.html,
            judged.verdict,
            texts.REJECTION_REASON if status == "rejected" else "",
            _at(m.at) if delivered else None,
            m.via,
            status,
            _at(m.at),
            _at(m.at + 3) if delivered else None,
            f"<mc.{m.id}.bench@{self.domain}>" if delivered else "",
            False,
            _at(m.reply_due_at),
            _at(answer.at) if answer else None,
            answer.id if answer else None,
            _seconds_between(m.at, answer.at) if answer else None,
            _at(m.no_response_at),
            m.no_response_by,
            _at(m.late_at),
        )

    def around_conversations(self) -> None:
        conversations = self.plan.conversations
        self._copy(
            ReadState,
            ["conversation", "user", "last_read_at"],
            ((c.id, user, _at(at)) for c in conversations for user, at in c.reads.items()),
        )
        self._copy(
            ConversationAssignment,
            ["conversation", "assignee", "assigned_by", "assigned_at", "notified_at"],
            (
                (c.id, assignee, by, _at(at), _at(at + 30))
                for c in conversations
                for assignee, by, at in c.assignments
            ),
        )
        self._copy(
            ReplyReminder,
            REMINDER_FIELDS,
            (
                (
                    m.id,
                    c.id,
                    hours,
                    _at(m.reply_due_at),
                    _at(at),
                    _at(at),
                    _at(at + 1),
                    _at(at + 2),
                    ReplyReminder.Outcome.SENT,
                    1 + len(c.team.agents),
                )
                for c in conversations
                for m, hours, at in c.reminders
            ),
        )
        self._copy(
            ProxyAddressPair,
            ["buyer", "seller", "buyer_token", "seller_token", "created_at"],
            (
                (buyer, seller, buyer_token, seller_token, _at(at))
                for (buyer, seller), (buyer_token, seller_token, at) in (
                    self.plan.address_pairs.items()
                )
            ),
        )

    def around_messages(self) -> None:
        messages = self.plan.messages
        self._copy(
            MessageViolation,
            ["message", "rule", "action", "explanation", "excerpt", "location", "language"],
            ((m.id, *v) for m in messages for v in self.judged[m.text].violations),
        )
        admin = self.plan.users[0].id
        self._copy(
            ReviewDecision,
            DECISION_FIELDS,
            (
                (
                    m.id,
                    admin,
                    ReviewDecision.Decision.REJECT,
                    texts.REJECTION_REASON,
                    _subject(m),
                    "",
                    self.judged[m.text].html,
                    "",
                    Jsonb([]),
                    _at(m.at + 3 * 3600),
                )
                for m in messages
                if m.status == "rejected"
            ),
        )
        self._copy(
            Attachment,
            ["message", "file", "original_name", "content_type", "size", "created_at"],
            (
                (
                    m.id,
                    f"bench/{m.id % 256:02x}/{m.id:08d}",
                    "receipt.pdf",
                    "application/pdf",
                    48_213 + m.id % 9_000,
                    _at(m.at),
                )
                for m in messages
                if m.attachment
            ),
        )
        self._copy(
            InboundEmail,
            INBOUND_FIELDS,
            self.inbound_rows(messages),
        )
        self._copy(
            EmailBounce,
            BOUNCE_FIELDS,
            (
                (
                    m.id,
                    self.emails[m.conversation.buyer],
                    "5.1.1",
                    "550 5.1.1 The email account that you tried to reach does not exist.",
                    f"<dsn.{m.id}@mx.bench.example>",
                    _at(m.at + 60),
                )
                for m in messages
                if m.side != BUYER and m.status == "delivered" and m.id % BOUNCE_EVERY == 0
            ),
        )

    def inbound_rows(self, messages: Sequence[PlannedMessage]) -> Iterator[tuple]:
        """Every message that came in by email left a line in the inbound log."""
        for m in messages:
            if m.via != "email" or m.status != "delivered":
                continue
            conversation = m.conversation
            buyer_token, seller_token, _ = self.plan.address_pairs[
                (conversation.buyer, conversation.team.id)
            ]
            to_token = seller_token if m.side == BUYER else buyer_token
            yield (
                f"<{m.id}.{self.rng.getrandbits(40):010x}@mail.bench.example>",
                self.emails[m.sender],
                f"{to_token}@{self.domain}",
                InboundEmail.Outcome.ACCEPTED,
                "",
                m.id,
                2_400 + m.id % 3_000,
                email_shape(_subject(m), texts.TEXTS[m.text].body),
                _at(m.at),
            )


def seed_marketplace(
    scale: float, *, now: float, seed: int = planned.DEFAULT_SEED
) -> dict[str, int]:
    """Plan the marketplace at `scale` and write it; rows per table. The caller holds the
    transaction, and the tables must be empty."""
    plan = planned.build_plan(
        planned.Sizes.at(scale),
        now=now,
        seed=seed,
        reply_hours=settings.REPLY_WITHIN_HOURS,
        reminder_hours=tuple(settings.REPLY_REMINDER_HOURS_BEFORE),
    )
    return Loader(plan).load()
