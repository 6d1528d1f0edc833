"""Email to people about what happened: a message for them (relayed from the sender's
masked address), a bounce, a review decision, an assignment, and the daily digest.

Listens to the domain events of messaging, moderation and threads (``handlers``), queues
each email as a task after commit, and honours every person's notification settings.
"""
