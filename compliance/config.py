"""The policy in force: the operator's settings over the POLICY.md defaults.

Every message sent is judged under it, and it changes only when an operator saves it, so
each process keeps the policy it read for ``POLICY_CACHE_SECONDS`` (a send makes no query
for it). Saving or deleting the settings or a rule override forgets it in the saving
process at once, and again when that transaction commits (a read made meanwhile still saw
the old rows); other processes (web workers, the mail receiver, Celery) apply the change
within that many seconds.
"""

from __future__ import annotations

from typing import Any

from compliance.kept import KeptForAWhile
from compliance.models import PolicySettings
from compliance.policy import DEFAULT_POLICY, RULES, Action, PolicyConfig


def _lines(text: str) -> list[str]:
    return [part.strip().lower() for part in text.replace(",", "\n").splitlines() if part.strip()]


# The one key: the policy is one value.
_kept: KeptForAWhile[None, PolicyConfig] = KeptForAWhile()


def current_policy() -> PolicyConfig:
    """The policy in force, as this process last read it (see above)."""
    policy = _kept.get(None)
    if policy is None:
        policy = _read_policy()
        _kept.keep({None: policy})
    return policy


def policy_changed(**_signal: Any) -> None:
    """The settings or a rule override were saved or deleted: read them again, now and
    once the change is committed. Connected to their models' signals (apps.py)."""
    _kept.forget_now_and_on_commit()


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
