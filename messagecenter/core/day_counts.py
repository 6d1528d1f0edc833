"""Kept per-business, per-day counts: one row per business and UTC day (``business_id``,
``day``, a count column), changed in the transaction of the write that changes what they
count (ProactiveSendCount, SellerOrderDay)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Model


def add_to_day_count(
    model: type[Model], column: str, business_id: int, day: date, delta: int
) -> None:
    """Add ``delta`` to the business's row for the day, making the row for a first
    increase (a decrease with no row has nothing to take from). Call inside the
    transaction of the write being counted."""
    rows = model._default_manager.filter(business_id=business_id, day=day)
    if rows.update(**{column: F(column) + delta}) or delta < 0:
        return
    try:
        with transaction.atomic():
            model._default_manager.create(business_id=business_id, day=day, **{column: delta})
    except IntegrityError:
        # Another write of the day made the row first; add to it.
        rows.update(**{column: F(column) + delta})
