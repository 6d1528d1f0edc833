"""The API tests' story: Jordan wrote to Northwind about an order, with a receipt; Sam
answered. Sam owns Northwind and Avery answers for it; Maria runs Cascade, another
seller; Priya is another buyer."""

from __future__ import annotations

from dataclasses import dataclass

from messagecenter.messaging.models import Attachment
from messagecenter.threads.models import Conversation
from orders.models import Order
from tests import factories


@dataclass(frozen=True)
class ApiStory:
    order: Order
    conversation: Conversation
    attachment: Attachment
    file_bytes: bytes


def make_story(order: Order, seller_member) -> ApiStory:
    receipt = factories.pdf_upload("receipt.pdf")
    file_bytes = receipt.read()
    receipt.seek(0)
    question = factories.buyer_message(
        order, "The parcel is damaged; receipt attached.", attachments=[receipt]
    )
    factories.reply(
        question.conversation, seller_member, "seller", "Sorry to hear that; we will help."
    )
    factories.buyer_message(order, "Thank you. Can you send a replacement?")
    return ApiStory(
        order=order,
        conversation=question.conversation,
        attachment=question.attachments.get(),
        file_bytes=file_bytes,
    )
