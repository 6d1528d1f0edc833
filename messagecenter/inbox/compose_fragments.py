"""The parts of Contact Buyer and Contact seller that are the same from load to load, each
rendered once and then kept by everything it shows (core/fragments.py): the order's
summary, which message types the seller can send now with the reasons for the closed
ones, and the empty form's fields. Rendering the first two took about a tenth of the
Contact Buyer page, the fields (a template per field) about a twentieth."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.forms import Form
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from compliance.availability import TypeOption
from messagecenter.core.fragments import rendered_rows
from messagecenter.threads.models import Conversation
from orders.models import Order

ORDER_SUMMARY = "includes/order_summary.html"
TYPE_OPTIONS = "includes/type_options.html"
COMPOSE_FIELDS = "includes/compose_fields.html"


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


def kept_compose_fields(
    form: Form,
    *,
    side: str,
    order: Order,
    conversation: Conversation | None,
    kept_uploads: Sequence[Any],
) -> SafeString:
    """includes/compose_fields.html for the page's form. The empty form of a page load is
    kept by what its fields show: their initial values, and the message type's choices
    with the closed ones' reasons and the opted-out ones' notes. A form sent back with its
    errors and the files kept from it is rendered afresh."""
    context = {
        "form": form,
        "side": side,
        "order": order,
        "conversation": conversation,
        "kept_uploads": kept_uploads,
    }
    if form.is_bound:
        # The template's output, escaped by it.
        return mark_safe(get_template(COMPOSE_FIELDS).render(context))  # noqa: S308
    types = form.fields.get("message_type")
    widget = types.widget if types is not None else None
    version: tuple[Any, ...] = (
        side,
        order.number,
        conversation.pk if conversation is not None else None,
        [(field.name, field.value()) for field in form],
        list(getattr(types, "choices", [])),
        sorted(getattr(widget, "closed", {}).items()),
        sorted(getattr(widget, "not_delivered", {}).items()),
    )
    (fields,) = rendered_rows(COMPOSE_FIELDS, [(version, context)])
    return fields
