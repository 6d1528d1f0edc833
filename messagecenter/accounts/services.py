"""Changes people make to their own account."""

from __future__ import annotations

from messagecenter.accounts.models import User


def opt_out_set(*, user: User, opted_out: bool) -> None:
    """Opt out of (or back into) unsolicited messages from every seller."""
    if user.opted_out_of_unsolicited != opted_out:
        user.opted_out_of_unsolicited = opted_out
        user.save(update_fields=["opted_out_of_unsolicited"])
