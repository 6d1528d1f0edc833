"""Recounting every kept unread count: after data was written around the services (demo
seeding, a restore), or to check that the counts are still right."""

from __future__ import annotations

from dataclasses import dataclass

from messagecenter.threads.models import UnreadCount
from messagecenter.threads.unread import recount, recount_buyers, unread_count_repair


@dataclass(frozen=True)
class WrongCount:
    user_id: int
    business_id: int | None
    stored: int | None  # None: no row was kept
    counted: int


def unread_counts_check() -> list[WrongCount]:
    """The kept counts that differ from a recount. A count not kept yet is never wrong:
    the navigation counts it when it first needs it, and keeps it from then on."""
    buyers = recount_buyers()
    wrong = []
    kept_counts = UnreadCount.objects.values_list("user_id", "business_id", "unread")
    for user_id, business_id, kept in kept_counts.order_by("user_id", "business_id"):
        counted = buyers.get(user_id, 0) if business_id is None else recount(user_id, business_id)
        if kept != counted:
            wrong.append(WrongCount(user_id, business_id, kept, counted))
    return wrong


def unread_counts_repair() -> list[WrongCount]:
    """Store the right count wherever the kept one is wrong; returns those that were.

    Each is counted again under its lock before it is stored: the first pass reads
    without locks, and a message may have arrived since.
    """
    repaired = []
    for found in unread_counts_check():
        kept, counted = unread_count_repair(found.user_id, found.business_id)
        if kept != counted:
            repaired.append(WrongCount(found.user_id, found.business_id, kept, counted))
    return repaired
