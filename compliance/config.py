"""The policy in force: the operator's settings over the POLICY.md defaults.

Every message sent is judged under it, and it changes only when an operator saves it, so
each process keeps the policy it read for ``POLICY_CACHE_SECONDS`` (a send makes no query
for it). Saving or deleting the settings or a rule override forgets it in the saving
process at once, and again when that transaction commits (a read made meanwhile still saw
the old rows); other processes (web workers, the mail receiver, Celery) apply the change
within that many seconds.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.db import transaction

from compliance.models import PolicySettings
from compliance.policy import DEFAULT_POLICY, RULES, Action, PolicyConfig


def _lines(text: str) -> list[str]:
    return [part.strip().lower() for part in text.replace(",", "\n").splitlines() if part.strip()]


class _KeptPolicy:
    """The policy this process read last, and when it read it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[float, PolicyConfig] | None = None

    def get(self) -> PolicyConfig | None:
        kept = self._kept
        if kept is None or time.monotonic() - kept[0] >= settings.POLICY_CACHE_SECONDS:
            return None
        return kept[1]

    def keep(self, policy: PolicyConfig) -> None:
        with self._lock:
            self._kept = (time.monotonic(), policy)

    def forget(self) -> None:
        with self._lock:
            self._kept = None


_kept = _KeptPolicy()


def current_policy() -> PolicyConfig:
    """The policy in force, as this process last read it (see above)."""
    policy = _kept.get()
    if policy is None:
        policy = _read_policy()
        _kept.keep(policy)
    return policy


def policy_changed(**_signal: Any) -> None:
    """The settings or a rule override were saved or deleted: read them again, now and
    once the change is committed. Connected to their models' signals (apps.py)."""
    _kept.forget()
    transaction.on_commit(_kept.forget)


def kept_policy_forget() -> None:
    """Read the policy again on next use (tests start each from their own database)."""
    _kept.forget()


def _read_policy() -> PolicyConfig:
    """Read the settings row (one query with its rule overrides); defaults if none."""
    row = PolicySettings.objects.prefetch_related("rules").order_by("id").first()
    if row is None:
        return DEFAULT_POLICY
    return PolicyConfig(
        actions={r.rule: Action(r.action) for r in row.rules.all() if r.rule in RULES},
        allowed_link_domains=frozenset(_lines(row.allowed_link_domains)),
        phone_regions=tuple(code.upper() for code in _lines(row.phone_regions)) or ("US",),
        promotions_allowed=row.promotions_allowed,
        restriction_threshold=row.restriction_threshold,
        restriction_lookback_days=row.restriction_lookback_days,
        restriction_days=row.restriction_days,
    )
