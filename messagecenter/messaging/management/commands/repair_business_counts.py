"""manage.py repair_business_counts [--check]: recount the kept per-business counts
(awaiting reply, overdue, held for review) and drop the wrong entries."""

from __future__ import annotations

from collections.abc import Sequence

from messagecenter.core.recount_command import RecountCommand
from messagecenter.messaging.business_counts import (
    BusinessCounts,
    WrongEntry,
    business_counts_check,
    business_counts_repair,
)


def _numbers(counts: BusinessCounts) -> str:
    return f"awaiting {counts.awaiting}, overdue {counts.overdue}, held {counts.held}"


class Command(RecountCommand):
    help = "Recount every business's kept counts and drop the wrong ones."
    kept = "business counts"
    all_right = "Every kept business count is right."
    repaired_as = "Dropped"
    summary = "Business counts recounted; {count} dropped (counted again when next shown)."

    def wrong_entries(self) -> Sequence[WrongEntry]:
        return business_counts_check()

    def repair_entries(self) -> Sequence[WrongEntry]:
        return business_counts_repair()

    def describe(self, wrong: WrongEntry) -> str:
        kept, counted = _numbers(wrong.kept), _numbers(wrong.counted)
        return f"business {wrong.business_id}: kept {kept}; counted {counted}"
