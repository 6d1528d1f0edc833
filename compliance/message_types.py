"""The catalogue of message types from POLICY.md: who may send each, its limits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TypeGroup(StrEnum):
    CRITICAL = "critical"
    PROACTIVE = "proactive"
    OTHER = "other"
    REPLY = "reply"
    BUYER = "buyer"


@dataclass(frozen=True)
class MessageType:
    id: str
    label: str
    group: TypeGroup
    purpose: str
    text_limit: int = 2000
    min_attachments: int = 0
    max_attachments: int = 5

    @property
    def requires_attachment(self) -> bool:
        return self.min_attachments > 0


SELLER_TYPES: tuple[MessageType, ...] = (
    MessageType(
        "confirm_order_details",
        "Confirm order details",
        TypeGroup.CRITICAL,
        "Information needed to complete the order, including address or payment problems.",
    ),
    MessageType(
        "confirm_customization_details",
        "Confirm customization details",
        TypeGroup.CRITICAL,
        "Verify a customized design.",
        text_limit=800,
    ),
    MessageType(
        "confirm_delivery_details",
        "Schedule delivery",
        TypeGroup.CRITICAL,
        "Schedule the delivery of a bulky or oversized item.",
    ),
    MessageType(
        "confirm_service_details",
        "Schedule a service appointment",
        TypeGroup.CRITICAL,
        "Arrange a service appointment.",
    ),
    MessageType(
        "unexpected_problem",
        "Unexpected problem",
        TypeGroup.CRITICAL,
        "A problem that affects fulfilling the order.",
    ),
    MessageType(
        "send_invoice",
        "Send invoice",
        TypeGroup.CRITICAL,
        "The invoice for the order.",
        min_attachments=1,
    ),
    MessageType(
        "warranty",
        "Warranty",
        TypeGroup.CRITICAL,
        "Warranty documents, with coverage start and end dates.",
        min_attachments=1,
    ),
    MessageType(
        "legal_disclosure",
        "Legal disclosure",
        TypeGroup.CRITICAL,
        "Legally required documents.",
        min_attachments=1,
    ),
    MessageType(
        "digital_access_key",
        "Digital access key",
        TypeGroup.CRITICAL,
        "A key or code for a digital product.",
        text_limit=400,
    ),
    MessageType(
        "review_request",
        "Request a review",
        TypeGroup.PROACTIVE,
        "Ask neutrally for a product review or seller feedback.",
        max_attachments=0,
    ),
    MessageType(
        "return_question",
        "Question about a return",
        TypeGroup.PROACTIVE,
        "A question about a return or refund.",
    ),
    MessageType(
        "proactive_support",
        "Product support",
        TypeGroup.PROACTIVE,
        "Manuals, warranty information or FAQ about the purchased item.",
    ),
    MessageType(
        "shipment_delay",
        "Shipment delay",
        TypeGroup.PROACTIVE,
        "Tell the buyer the order will ship late.",
    ),
    MessageType(
        "promotion",
        "Promotion",
        TypeGroup.OTHER,
        "Coupons, sales or in-stock notices.",
        max_attachments=0,
    ),
    MessageType(
        "reply", "Reply", TypeGroup.REPLY, "An answer in a conversation the buyer started."
    ),
)

BUYER_TYPES: tuple[MessageType, ...] = (
    MessageType(
        "buyer_inquiry",
        "Question about an order",
        TypeGroup.BUYER,
        "A buyer writing to the seller about an order.",
    ),
    MessageType(
        "product_question",
        "Question about a product",
        TypeGroup.BUYER,
        "A buyer asking a seller about a product before buying.",
    ),
)

MESSAGE_TYPES: dict[str, MessageType] = {t.id: t for t in (*SELLER_TYPES, *BUYER_TYPES)}


def get_message_type(type_id: str) -> MessageType | None:
    return MESSAGE_TYPES.get(type_id)
