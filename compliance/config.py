"""The policy in force: the operator's settings over the POLICY.md defaults."""

from __future__ import annotations

from compliance.models import PolicySettings
from compliance.policy import DEFAULT_POLICY, RULES, Action, PolicyConfig


def _lines(text: str) -> list[str]:
    return [part.strip().lower() for part in text.replace(",", "\n").splitlines() if part.strip()]


def current_policy() -> PolicyConfig:
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
