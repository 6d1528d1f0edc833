"""Reading the policy corpus: messages written by people, each with what the policy must say.

The corpus lives in ``tests/compliance/corpus/<language>.toml`` (and
``<language>-<topic>.toml`` for a topic kept apart, such as contact details), each an array
of ``[[case]]`` tables:

    [[case]]
    id = "de-review-gift"          # unique; starts with the file's language
    category = "review"            # what it is about, for the per-category table
    expect = ["review.manipulation"]  # the rules that must fire; [] for an ordinary message
    type = "review_request"        # the message type (default: proactive_support, or
                                   # buyer_inquiry when side = "buyer")
    side = "seller"                # default "seller"
    reply = false                  # answers a conversation the buyer started (default false)
    subject = ""                   # default ""
    body = "..."
    days_since_order = 12          # the order's timeline (defaults: ordered 12 days ago,
    days_since_shipping = 10       # shipped 10, delivered 8: every window is open)
    days_since_delivery = 8        # -1: not shipped / not delivered
    attachments = ["invoice.pdf"]  # files sent with it (small valid PDFs; default none)
    note = "why this case is here"

A prohibited case passes when every expected rule fires (other rules may fire too); an
ordinary one passes when nothing at all fires. ``bench/policy_precision.py`` prints recall
and false alarms per rule, category and language; ``tests/compliance/test_corpus.py`` runs
every case.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from compliance.engine import FileFacts, MessageDraft, OrderFacts, Verdict, check_message
from compliance.policy import DEFAULT_POLICY, PolicyConfig
from tests.factories import pdf_bytes

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
# A fixed "now": the corpus means the same on every day it is run.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    category: str
    expect: tuple[str, ...]
    body: str
    message_type: str
    side: str = "seller"
    reply: bool = False
    subject: str = ""
    days_since_order: int = 12
    days_since_shipping: int = 10
    days_since_delivery: int = 8
    attachments: tuple[str, ...] = ()
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def ordinary(self) -> bool:
        return not self.expect

    def draft(self) -> MessageDraft:
        def ago(days: int) -> datetime | None:
            return None if days < 0 else NOW - timedelta(days=days)

        ordered = ago(self.days_since_order) or NOW
        return MessageDraft(
            sender_side=self.side,
            message_type=self.message_type,
            body=self.body,
            subject=self.subject,
            order=OrderFacts(
                ordered_at=ordered,
                shipped_at=ago(self.days_since_shipping),
                delivered_at=ago(self.days_since_delivery),
            ),
            reply_to_buyer=self.reply,
            sent_at=NOW,
            attachments=tuple(_pdf(name) for name in self.attachments),
        )

    def judge(self, policy: PolicyConfig = DEFAULT_POLICY) -> Verdict:
        return check_message(self.draft(), policy)

    def passed(self, verdict: Verdict) -> bool:
        found = {v.rule for v in verdict.violations}
        return not found if self.ordinary else set(self.expect) <= found


_KNOWN = {
    "id",
    "category",
    "expect",
    "type",
    "side",
    "reply",
    "subject",
    "body",
    "days_since_order",
    "days_since_shipping",
    "days_since_delivery",
    "attachments",
    "note",
}


def _pdf(name: str) -> FileFacts:
    data = pdf_bytes(name)
    return FileFacts(name=name, size=len(data), read=lambda: data)


def load_cases(directory: Path = CORPUS_DIR) -> Iterator[Case]:
    for path in sorted(directory.glob("*.toml")):
        language = path.stem.split("-")[0]  # "de.toml", or "de-contact.toml" for a topic
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for raw in data.get("case", []):
            unknown = set(raw) - _KNOWN
            if unknown:
                raise ValueError(f"{path.name} {raw.get('id')}: unknown keys {sorted(unknown)}")
            side = raw.get("side", "seller")
            yield Case(
                id=raw["id"],
                language=language,
                category=raw.get("category", "other"),
                expect=tuple(raw.get("expect", ())),
                body=raw["body"],
                message_type=raw.get(
                    "type", "proactive_support" if side == "seller" else "buyer_inquiry"
                ),
                side=side,
                reply=raw.get("reply", False),
                subject=raw.get("subject", ""),
                days_since_order=raw.get("days_since_order", 12),
                days_since_shipping=raw.get("days_since_shipping", 10),
                days_since_delivery=raw.get("days_since_delivery", 8),
                attachments=tuple(raw.get("attachments", ())),
                note=raw.get("note", ""),
            )
