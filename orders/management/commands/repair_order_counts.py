"""manage.py repair_order_counts [--check]: recount each seller's kept orders per day (the
daily cap's order volume) from the orders and rebuild the rows."""

from __future__ import annotations

from collections.abc import Sequence

from messagecenter.core.recount_command import RecountCommand
from orders.order_counts import WrongDay, recount_seller_order_days, seller_order_days_check


class Command(RecountCommand):
    help = "Recount every seller's orders per day from the orders and rebuild the kept rows."
    kept = "order day counts"
    all_right = "Every kept order day count is right."
    repaired_as = "Recounted"
    summary = "Order day counts rebuilt; {count} were wrong."

    def wrong_entries(self) -> Sequence[WrongDay]:
        return seller_order_days_check()

    def repair_entries(self) -> Sequence[WrongDay]:
        return recount_seller_order_days()

    def describe(self, wrong: WrongDay) -> str:
        return (
            f"business {wrong.business_id} on {wrong.day}: kept {wrong.kept}, "
            f"counted {wrong.counted}"
        )
