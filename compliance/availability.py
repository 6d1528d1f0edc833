"""Which message types a seller can send for an order right now, and why not the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from compliance.engine import FileFacts, MessageDraft, OrderFacts, SellerFacts, check_rules
from compliance.message_types import SELLER_TYPES, MessageType, TypeGroup
from compliance.policy import Action, PolicyConfig

# The rules about circumstances, not words: they decide whether a type is open at all.
CIRCUMSTANCE_RULES = (
    "type.not_allowed",
    "window.proactive",
    "review.window",
    "review.repeat",
    "type.daily_cap",
    "seller.restricted",
)


@dataclass(frozen=True)
class TypeOption:
    kind: MessageType
    available: bool
    reasons: tuple[str, ...]
    # Why a message of this type, sent now, would be kept but not delivered (the buyer's
    # opt-out, decided by the caller); empty when it would be delivered.
    not_delivered: str = ""

    @property
    def id(self) -> str:
        return self.kind.id


def seller_type_options(
    *,
    order: OrderFacts | None,
    seller: SellerFacts,
    reply_to_buyer: bool,
    now: datetime,
    policy: PolicyConfig,
) -> list[TypeOption]:
    options = []
    for kind in SELLER_TYPES:
        if kind.group == TypeGroup.REPLY and not reply_to_buyer:
            continue
        # Pretend the required files are there: needing a file is a note, not a closed door.
        files = tuple(FileFacts(name="file.pdf", size=1) for _ in range(kind.min_attachments))
        draft = MessageDraft(
            sender_side="seller",
            message_type=kind.id,
            body="",
            attachments=files,
            order=order,
            reply_to_buyer=reply_to_buyer,
            sent_at=now,
            seller=seller,
        )
        blocking = [
            v.message
            for v in check_rules(draft, CIRCUMSTANCE_RULES, policy)
            if v.action in {Action.BLOCK, Action.REDACT}
        ]
        options.append(TypeOption(kind, not blocking, tuple(blocking)))
    return options
