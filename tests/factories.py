"""Small builders for test data; every row goes through the real models."""

from __future__ import annotations

import itertools
import zlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.models import Message
from messagecenter.messaging.sending import check_and_send, message_send_for_order
from messagecenter.messaging.uploads import uploads_create
from messagecenter.threads.models import Conversation, Side
from orders.models import Order, OrderLine, Product

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1000001)


def user(email: str, name: str = "", **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, display_name=name, **extra)


def business(name: str) -> SellerBusiness:
    return SellerBusiness.objects.create(name=name)


def member(business: SellerBusiness, email: str, name: str = "", role: str = "agent") -> User:
    person = user(email, name)
    Membership.objects.create(user=person, business=business, role=role)
    return person


def product(seller: SellerBusiness, title: str = "Cast Iron Dutch Oven", price: str = "64.50"):
    return Product.objects.create(
        seller=seller, title=title, sku=f"SKU-{next(_numbers)}", price=Decimal(price)
    )


def order(
    *,
    buyer: User,
    seller: SellerBusiness,
    status: str = "shipped",
    days_ago: int = 5,
    title: str = "Linen Duvet Cover",
    lines: int = 1,
) -> Order:
    n = next(_numbers)
    ordered_at = timezone.now() - timedelta(days=days_ago)
    created = Order.objects.create(
        number=f"114-{n:07d}-{(n * 7) % 10_000_000:07d}",
        buyer=buyer,
        seller=seller,
        status=status,
        ordered_at=ordered_at,
        shipped_at=ordered_at + timedelta(days=1) if status in {"shipped", "delivered"} else None,
        delivered_at=ordered_at + timedelta(days=3) if status == "delivered" else None,
    )
    for i in range(lines):
        OrderLine.objects.create(
            order=created,
            title=f"{title} #{i + 1}" if lines > 1 else title,
            sku=f"SKU-{n}-{i}",
            quantity=2,
            unit_price=Decimal("19.99"),
        )
    return created


def pdf_bytes(text: str = "Invoice 1001", pad_to: int = 0) -> bytes:
    """A small, valid one-page PDF showing `text`, with a correct cross-reference table.

    pad_to makes the file exactly that many bytes long (comment lines after the header), for
    size limits; a smaller pad_to leaves the file as it is.
    """
    base = _pdf_with_filler(text, b"")
    extra = pad_to - len(base)
    if extra <= 0:
        return base
    lines = b"".join(b"%" + b"0" * 198 + b"\n" for _ in range(extra // 200))
    return _pdf_with_filler(text, lines + b"\n" * (extra % 200))


def _pdf_with_filler(text: str, filler: bytes) -> bytes:
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = zlib.compress(f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + filler)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def pdf_upload(name: str = "invoice.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pad_to=size), content_type="application/pdf")


def _uploads(sender: User, kw: dict) -> list:
    """Accept attachments=[uploaded files] as the views do: they become the sender's uploads."""
    files = kw.pop("attachments", None) or []
    return uploads_create(owner=sender, files=files) if files else kw.pop("uploads", [])


SELLER_BODY = "Please confirm the delivery address for your order: is it apartment 4B?"


def seller_message(order: Order, sender: User, body: str = SELLER_BODY, **kw) -> Message:
    uploads = _uploads(sender, kw)
    draft = Draft(
        sender=sender,
        side=Side.SELLER,
        message_type=kw.pop("message_type", "confirm_order_details"),
        subject=kw.pop("subject", f"Order {order.number}"),
        body=body,
        uploads=uploads,
        **kw,
    )
    return message_send_for_order(order=order, draft=draft).message


def held_seller_message(order: Order, sender: User) -> Message:
    """A seller's message the policy holds for review: the marketplace flags over-long
    messages of its type, and this licence key's setup notes are too long."""
    from compliance.models import PolicySettings, RuleSetting

    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.get_or_create(policy=policy, rule="type.text_length", action="flag")
    return seller_message(
        order,
        sender,
        "Your licence key is ABCD-1234. " + "Setup notes follow. " * 30,
        message_type="digital_access_key",
        subject="Your licence",
    )


def buyer_message(order: Order, body: str = "Where is my parcel?", **kw) -> Message:
    uploads = _uploads(order.buyer, kw)
    draft = Draft(
        sender=order.buyer,
        side=Side.BUYER,
        message_type="buyer_inquiry",
        subject=kw.pop("subject", f"Order {order.number}"),
        body=body,
        uploads=uploads,
        **kw,
    )
    return message_send_for_order(order=order, draft=draft).message


def reply(conversation: Conversation, sender: User, side: Side, body: str, **kw) -> Message:
    uploads = _uploads(sender, kw)
    draft = Draft(
        sender=sender,
        side=side,
        message_type="reply" if side == Side.SELLER else "buyer_inquiry",
        subject=f"Re: {conversation.subject}",
        body=body,
        uploads=uploads,
        **kw,
    )
    return check_and_send(conversation, draft).message


def uploads_for(owner: User, *files) -> list:
    return uploads_create(owner=owner, files=files)
