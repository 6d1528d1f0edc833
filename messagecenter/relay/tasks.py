"""Celery entry points of the relay: they take ids and call its services."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from messagecenter.relay.approved_senders import SEND_SENDER_CONFIRMATION
from messagecenter.relay.sender_confirmation import send_confirmation


@shared_task(
    name=SEND_SENDER_CONFIRMATION,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_sender_confirmation(approved_sender_id: int) -> int:
    """Mail the confirmation link to a new sending address."""
    return send_confirmation(approved_sender_id)
