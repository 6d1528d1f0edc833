"""Celery entry points for the reply clock: they take ids and call services.

Every task here is safe to run twice (each send is claimed in the database first), so
acknowledging late and re-running after a lost worker never doubles an email.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from messagecenter.clock import reminders


@shared_task(name="clock.sweep_reply_clocks")
def sweep_reply_clocks() -> dict[str, int]:
    """Beat, every minute: mark late messages, claim and queue the reminders that are due,
    batch after batch while there is a backlog."""
    results = reminders.reply_clock_catch_up()
    return {
        "batches": len(results),
        "marked_late": sum(result.marked_late for result in results),
        "claimed": sum(len(result.claimed) for result in results),
        "requeued": sum(len(result.requeued) for result in results),
    }


@shared_task(
    name=reminders.SEND_REMINDERS_TASK,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_reply_reminders(reminder_ids: list[int]) -> int:
    """Send a batch of reminders; ones already sent or being sent are skipped."""
    return sum(reminders.reply_reminder_send(reminder_id=pk) for pk in reminder_ids)
