"""manage.py repair_counts [--check]: recount the kept unread counts and fix wrong ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from messagecenter.threads.unread_repair import (
    WrongCount,
    unread_counts_check,
    unread_counts_repair,
)


def _describe(wrong: WrongCount) -> str:
    scope = f"business {wrong.business_id}" if wrong.business_id else "as a buyer"
    kept = "no row" if wrong.stored is None else wrong.stored
    return f"user {wrong.user_id} {scope}: kept {kept}, counted {wrong.counted}"


class Command(BaseCommand):
    help = "Recount every user's unread conversations and repair the kept counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report wrong counts, and fail if there are any; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = unread_counts_check()
            for count in wrong:
                self.stdout.write(_describe(count))
            if wrong:
                raise CommandError(
                    f"{len(wrong)} unread counts are wrong; run repair_counts to fix them."
                )
            self.stdout.write("Every unread count is right.")
            return
        wrong = unread_counts_repair()
        for count in wrong:
            self.stdout.write(f"Repaired {_describe(count)}")
        self.stdout.write(f"Unread counts recounted; {len(wrong)} repaired.")
