"""Write every search row again, each message read in its own language."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from messagecenter.search.rebuild import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Write every conversation's and message's search row again, from what they show "
        "now, each message in its detected language (the migration fills them with the "
        "'simple' configuration). Batches are separate transactions: safe to stop and "
        "resume with --from-id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000, help="Messages per batch.")
        parser.add_argument(
            "--from-id", type=int, default=1, help="Resume at this message id (printed as it goes)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def report(done: int, last: int) -> None:
            self.stdout.write(f"messages up to id {done} of {last}")

        conversations, messages = search_index_rebuild(
            batch_size=options["batch_size"],
            from_id=options["from_id"],
            report=report if options["verbosity"] > 1 else None,
        )
        self.stdout.write(f"Rebuilt {conversations} conversation rows and {messages} message rows.")
