"""manage.py repair_business_counts [--check]: recount the kept per-business counts
(awaiting reply, overdue, held for review) and drop the wrong entries."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from messagecenter.messaging.business_counts import (
    BusinessCounts,
    WrongEntry,
    business_counts_check,
    business_counts_repair,
)


def _numbers(counts: BusinessCounts) -> str:
    return f"awaiting {counts.awaiting}, overdue {counts.overdue}, held {counts.held}"


def _describe(wrong: WrongEntry) -> str:
    kept, counted = _numbers(wrong.kept), _numbers(wrong.counted)
    return f"business {wrong.business_id}: kept {kept}; counted {counted}"


class Command(BaseCommand):
    help = "Recount every business's kept counts and drop the wrong ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report wrong counts, and fail if there are any; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = business_counts_check()
            for entry in wrong:
                self.stdout.write(_describe(entry))
            if wrong:
                raise CommandError(
                    f"{len(wrong)} business counts are wrong; run repair_business_counts "
                    "to fix them."
                )
            self.stdout.write("Every kept business count is right.")
            return
        wrong = business_counts_repair()
        for entry in wrong:
            self.stdout.write(f"Dropped {_describe(entry)}")
        self.stdout.write(
            f"Business counts recounted; {len(wrong)} dropped (counted again when next shown)."
        )
