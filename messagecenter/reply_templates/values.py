"""The values placeholders are filled with: an order's (in its buyer's language and time
zone, as the buyer will read them) and representative samples for checking a template."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from messagecenter.accounts.locale import in_the_locale_of
from messagecenter.accounts.models import SellerBusiness, User
from orders.models import Order, Product


def _day(moment: datetime | date | None) -> str | None:
    """A date as the active language writes it; a moment on its day in the active zone."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return formats.date_format(moment, "DATE_FORMAT")


def _delivery(order: Order) -> str | None:
    """The day it was delivered; before that, the expected day or days."""
    if order.delivered_at is not None:
        return _day(order.delivered_at)
    earliest, latest = order.earliest_delivery_date, order.latest_delivery_date
    if earliest and latest and earliest != latest:
        return gettext("%(earliest)s to %(latest)s") % {
            "earliest": _day(earliest),
            "latest": _day(latest),
        }
    return _day(latest or earliest)


def placeholder_values(
    *,
    buyer: User,
    seller: SellerBusiness,
    order: Order | None,
    product: Product | None = None,
) -> dict[str, str | None]:
    """What each placeholder says in a message to this buyer. None: nothing to say (a
    conversation about a product has no order number). ``order`` comes with its lines
    read (the access functions read them)."""
    with in_the_locale_of(buyer):
        titles = [line.title for line in order.lines.all()] if order is not None else []
        return {
            "buyer_name": buyer.public_name,
            "order_number": order.number if order is not None else None,
            "product": ", ".join(titles) or (product.title if product is not None else None),
            "order_date": _day(order.ordered_at) if order is not None else None,
            "ship_date": _day(order.shipped_at) if order is not None else None,
            "delivery_date": _delivery(order) if order is not None else None,
            "seller_name": seller.name,
        }


def sample_values(seller: SellerBusiness) -> dict[str, str | None]:
    """Representative values for checking a template before any order is at hand, in
    the active language (the seller's)."""
    today = timezone.localdate()
    return {
        "buyer_name": pgettext("sample buyer name", "Alex Morgan"),
        "order_number": "114-1234567-7654321",
        "product": pgettext("sample product", "Linen Duvet Cover"),
        "order_date": _day(today - timedelta(days=12)),
        "ship_date": _day(today - timedelta(days=11)),
        "delivery_date": _day(today - timedelta(days=7)),
        "seller_name": seller.name,
    }
