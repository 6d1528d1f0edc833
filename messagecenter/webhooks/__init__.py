"""Webhooks: telling a seller's own systems what happened, signed and retried.

Subscribes to the domain events of messaging, moderation and the reply clock
(``handlers``), writes one WebhookDelivery per interested endpoint in the same
transaction (an outbox), and delivers it from the worker with backoff (``delivery``).
"""
