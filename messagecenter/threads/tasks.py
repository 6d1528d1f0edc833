"""Celery entry points for the reply clock and assignments: they take ids, call services.

Every task here is safe to run twice (each send is claimed in the database first), so
acknowledging late and re-running after a lost worker never doubles an email.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from messagecenter.threads import assignment, reminders


@shared_task(name="messagecenter.threads.tasks.sweep_reply_clocks")
def sweep_reply_clocks() -> dict[str, int]:
    """Beat, every minute: mark late messages, claim and queue the reminders that are due."""
    result = reminders.reply_clock_sweep()
    return {
        "marked_late": result.marked_late,
        "claimed": len(result.claimed),
        "requeued": len(result.requeued),
    }


@shared_task(
    name="messagecenter.threads.tasks.send_reply_reminders",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_reply_reminders(reminder_ids: list[int]) -> int:
    """Send a batch of reminders; ones already sent or being sent are skipped."""
    return sum(reminders.reply_reminder_send(reminder_id=pk) for pk in reminder_ids)


@shared_task(
    name="messagecenter.threads.tasks.send_assignment_notice",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_assignment_notice(assignment_id: int) -> int:
    """Tell a team member a conversation was assigned to them."""
    return assignment.send_assignment_notice(assignment_id)
