from celery import shared_task
from django.core.management import call_command


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Keep the session table small; Django leaves expired rows behind."""
    call_command("clearsessions")
