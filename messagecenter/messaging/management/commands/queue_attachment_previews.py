"""manage.py queue_attachment_previews: have the worker draw the previews of images and
PDFs that have none yet, such as the files sent before previews existed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from messagecenter.messaging.previews import previews_queue_missing


class Command(BaseCommand):
    help = "Queue a preview for every attached image and PDF the worker has not drawn yet."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = previews_queue_missing()
        self.stdout.write(f"Queued {queued} attachment previews for the worker.")
