"""The catalogue of message types from POLICY.md: who may send each, its limits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class TypeGroup(StrEnum):
    CRITICAL = "critical"
    PROACTIVE = "proactive"
    OTHER = "other"
    REPLY = "reply"
    BUYER = "buyer"


@dataclass(frozen=True)
class MessageType:
    """A type of the catalogue. Its name and purpose are marked for translation and read
    through ``label`` and ``purpose``, as text in the active language (the reader's)."""

    id: str
    name: str | Promise
    group: TypeGroup
    description: str | Promise
    text_limit: int = 2000
    min_attachments: int = 0
    max_attachments: int = 5

    @property
    def label(self) -> str:
        return str(self.name)

    @property
    def purpose(self) -> str:
        return str(self.description)

    @property
    def requires_attachment(self) -> bool:
        return self.min_attachments > 0


SELLER_TYPES: tuple[MessageType, ...] = (
    MessageType(
        "confirm_order_details",
        pgettext_lazy("message type", "Confirm order details"),
        TypeGroup.CRITICAL,
        pgettext_lazy(
            "message type purpose",
            "Information needed to complete the order, including address or payment problems.",
        ),
    ),
    MessageType(
        "confirm_customization_details",
        pgettext_lazy("message type", "Confirm customization details"),
        TypeGroup.CRITICAL,
        pgettext_lazy("message type purpose", "Verify a customized design."),
        text_limit=800,
    ),
    MessageType(
        "confirm_delivery_details",
        pgettext_lazy("message type", "Schedule delivery"),
        TypeGroup.CRITICAL,
        pgettext_lazy(
            "message type purpose", "Schedule the delivery of a bulky or oversized item."
        ),
    ),
    MessageType(
        "confirm_service_details",
        pgettext_lazy("message type", "Schedule a service appointment"),
        TypeGroup.CRITICAL,
        pgettext_lazy("message type purpose", "Arrange a service appointment."),
    ),
    MessageType(
        "unexpected_problem",
        pgettext_lazy("message type", "Unexpected problem"),
        TypeGroup.CRITICAL,
        pgettext_lazy("message type purpose", "A problem that affects fulfilling the order."),
    ),
    MessageType(
        "send_invoice",
        pgettext_lazy("message type", "Send invoice"),
        TypeGroup.CRITICAL,
        pgettext_lazy("message type purpose", "The invoice for the order."),
        min_attachments=1,
    ),
    MessageType(
        "warranty",
        pgettext_lazy("message type", "Warranty"),
        TypeGroup.CRITICAL,
        pgettext_lazy(
            "message type purpose", "Warranty documents, with coverage start and end dates."
        ),
        min_attachments=1,
    ),
    MessageType(
        "legal_disclosure",
        pgettext_lazy("message type", "Legal disclosure"),
        TypeGroup.CRITICAL,
        pgettext_lazy("message type purpose", "Legally required documents."),
        min_attachments=1,
    ),
    MessageType(
        "digital_access_key",
        pgettext_lazy("message type", "Digital access key"),
        TypeGroup.CRITICAL,
        pgettext_lazy("message type purpose", "A key or code for a digital product."),
        text_limit=400,
    ),
    MessageType(
        "review_request",
        pgettext_lazy("message type", "Request a review"),
        TypeGroup.PROACTIVE,
        pgettext_lazy(
            "message type purpose", "Ask neutrally for a product review or seller feedback."
        ),
        max_attachments=0,
    ),
    MessageType(
        "return_question",
        pgettext_lazy("message type", "Question about a return"),
        TypeGroup.PROACTIVE,
        pgettext_lazy("message type purpose", "A question about a return or refund."),
    ),
    MessageType(
        "proactive_support",
        pgettext_lazy("message type", "Product support"),
        TypeGroup.PROACTIVE,
        pgettext_lazy(
            "message type purpose", "Manuals, warranty information or FAQ about the purchased item."
        ),
    ),
    MessageType(
        "shipment_delay",
        pgettext_lazy("message type", "Shipment delay"),
        TypeGroup.PROACTIVE,
        pgettext_lazy("message type purpose", "Tell the buyer the order will ship late."),
    ),
    MessageType(
        "promotion",
        pgettext_lazy("message type", "Promotion"),
        TypeGroup.OTHER,
        pgettext_lazy("message type purpose", "Coupons, sales or in-stock notices."),
        max_attachments=0,
    ),
    MessageType(
        "reply",
        pgettext_lazy("message type", "Reply"),
        TypeGroup.REPLY,
        pgettext_lazy("message type purpose", "An answer in a conversation the buyer started."),
    ),
)

BUYER_TYPES: tuple[MessageType, ...] = (
    MessageType(
        "buyer_inquiry",
        pgettext_lazy("message type", "Question about an order"),
        TypeGroup.BUYER,
        pgettext_lazy("message type purpose", "A buyer writing to the seller about an order."),
    ),
    MessageType(
        "product_question",
        pgettext_lazy("message type", "Question about a product"),
        TypeGroup.BUYER,
        pgettext_lazy(
            "message type purpose", "A buyer asking a seller about a product before buying."
        ),
    ),
)

MESSAGE_TYPES: dict[str, MessageType] = {t.id: t for t in (*SELLER_TYPES, *BUYER_TYPES)}


def get_message_type(type_id: str) -> MessageType | None:
    return MESSAGE_TYPES.get(type_id)
