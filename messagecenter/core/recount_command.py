"""The shape of a command that recounts numbers the app keeps (unread counts, business
counts): with --check it lists the wrong ones and fails, so a monitor can run it; without,
it repairs them and says what it changed."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class RecountCommand(BaseCommand, metaclass=ABCMeta):
    """Subclasses say what is kept and how to find, repair and describe wrong entries
    (not `check`: that name is Django's system checks)."""

    kept = "counts"  # "unread counts", in messages
    all_right = "Every count is right."
    repaired_as = "Repaired"  # what the repair did to each wrong entry
    summary = "{count} repaired."  # after a repair, with {count}

    @abstractmethod
    def wrong_entries(self) -> Sequence[Any]:
        """The wrong entries, changing nothing."""

    @abstractmethod
    def repair_entries(self) -> Sequence[Any]:
        """Put every wrong entry right; the ones that were wrong."""

    @abstractmethod
    def describe(self, wrong: Any) -> str:
        """One wrong entry, in a line."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report wrong counts, and fail if there are any; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = self.wrong_entries()
            for entry in wrong:
                self.stdout.write(self.describe(entry))
            if wrong:
                raise CommandError(
                    f"{len(wrong)} {self.kept} are wrong; run {self._name()} to fix them."
                )
            self.stdout.write(self.all_right)
            return
        repaired = self.repair_entries()
        for entry in repaired:
            self.stdout.write(f"{self.repaired_as} {self.describe(entry)}")
        self.stdout.write(self.summary.format(count=len(repaired)))

    def _name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]
