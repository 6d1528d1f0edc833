"""The 24-hour reply clock: started by a buyer message, stopped by the seller's answer.

Listens to messaging's delivery events (``handlers``), keeps the due times on messages and
conversations, sweeps for late messages and due reminders from beat (``reminders``), and
measures response-time performance (``performance``, the Performance page).
"""
