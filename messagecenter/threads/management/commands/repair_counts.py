"""manage.py repair_counts [--check]: recount the kept unread counts and fix wrong ones."""

from __future__ import annotations

from collections.abc import Sequence

from messagecenter.core.recount_command import RecountCommand
from messagecenter.threads.unread_repair import (
    WrongCount,
    unread_counts_check,
    unread_counts_repair,
)


class Command(RecountCommand):
    help = "Recount every user's unread conversations and repair the kept counts."
    kept = "unread counts"
    all_right = "Every unread count is right."
    summary = "Unread counts recounted; {count} repaired."

    def wrong_entries(self) -> Sequence[WrongCount]:
        return unread_counts_check()

    def repair_entries(self) -> Sequence[WrongCount]:
        return unread_counts_repair()

    def describe(self, wrong: WrongCount) -> str:
        scope = f"business {wrong.business_id}" if wrong.business_id else "as a buyer"
        kept = "no row" if wrong.stored is None else wrong.stored
        return f"user {wrong.user_id} {scope}: kept {kept}, counted {wrong.counted}"
