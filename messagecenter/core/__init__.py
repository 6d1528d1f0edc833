"""What every app of the message center shares and none of them owns.

The user-facing error type, pagination, the domain event bus (``events``) through which a
lower app tells the apps above it what happened without importing them, and the one helper
that hands a Celery task to the broker after commit (``tasks``). Core imports no other app.
"""
