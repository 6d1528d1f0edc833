"""The parts of Contact Buyer and Contact seller that are the same from load to load, each
rendered once and then kept by everything it shows (core/fragments.py): the order's
summary, and which message types the seller can send now with the reasons for the closed
ones. Rendering the two took about a tenth of the Contact Buyer page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.forms import Form
from django.utils.safestring import SafeString

from compliance.availability import TypeOption
from messagecenter.core.fragments import rendered_rows
from orders.models import Order

ORDER_SUMMARY = "includes/order_summary.html"
TYPE_OPTIONS = "includes/type_options.html"


def _when(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def kept_order_summary(order: Order, side: str) -> SafeString:
    """includes/order_summary.html for the order, as one side sees it."""
    version: tuple[Any, ...] = (
        order.pk,
        order.number,
        order.status,
        side,
        order.buyer.public_name if side == "seller" else order.seller.name,
        _when(order.ordered_at),
        _when(order.shipped_at),
        _when(order.earliest_delivery_date),
        _when(order.latest_delivery_date),
        _when(order.delivered_at),
        [(line.title, line.sku, line.quantity, str(line.unit_price)) for line in order.lines.all()],
    )
    (summary,) = rendered_rows(ORDER_SUMMARY, [(version, {"order": order, "side": side})])
    return summary


def kept_type_options(order: Order, options: Sequence[TypeOption], form: Form) -> SafeString:
    """includes/type_options.html: the types open now, the closed ones with their reasons,
    and the ones the buyer's opt-out would stop; opened when the type is in error."""
    type_errors = bool(form.errors.get("message_type")) if form.is_bound else False
    version: tuple[Any, ...] = (
        order.buyer.public_name,
        type_errors,
        [
            (
                o.kind.id,
                o.kind.label,
                o.kind.purpose,
                o.kind.requires_attachment,
                o.available,
                o.reasons,
                o.not_delivered,
            )
            for o in options
        ],
    )
    context = {
        "order": order,
        "type_options": options,
        "not_delivered_types": [o for o in options if o.not_delivered],
        "form": form,
    }
    (block,) = rendered_rows(TYPE_OPTIONS, [(version, context)])
    return block
