"""Recount the performance rollup from the messages: `repair_rollup --check` only reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from messagecenter.clock.rollup import rollup_differences, rollup_rebuild


class Command(BaseCommand):
    help = (
        "Compare the performance page's daily rollup with a recount of the messages and, "
        "unless --check, rebuild it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report the rows that differ; exit with an error if any do.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            differences = rollup_differences(cursor)
            for difference in differences:
                self.stdout.write(f"differs: {difference}")
            if options["check"]:
                if differences:
                    raise CommandError(f"{len(differences)} rollup rows differ from a recount.")
                self.stdout.write("The rollup matches the messages.")
                return
            rollup_rebuild(cursor)
        self.stdout.write(f"Rebuilt the rollup; {len(differences)} rows had differed.")
