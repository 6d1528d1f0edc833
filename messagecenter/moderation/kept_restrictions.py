"""Restrictions in force, kept in each process for the banner every seller page shows.

A restriction is placed after repeated offences, lifted by staff or edited in the admin:
rarely, next to how often pages show the banner. So, like the policy (compliance/config.py),
each process keeps what it read per business for ``POLICY_CACHE_SECONDS``. Saving or
deleting a restriction (or a business, whose name the banner shows) forgets them in the
saving process at once, and again when that transaction commits; other processes show the
change within that many seconds. Sending does not read these: it reads the business's own
standing, written in the transaction that places or lifts a restriction (enforcement.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from compliance.kept import KeptForAWhile
from messagecenter.moderation.models import SellerRestriction

# Per business: its restrictions not lifted and not ended when read.
_kept: KeptForAWhile[int, list[SellerRestriction]] = KeptForAWhile()


def restrictions_in_force(business_ids: Iterable[int], now: datetime) -> list[SellerRestriction]:
    """The restrictions in force now on these businesses, as this process last read them
    (see above): no query while all of them are kept."""
    wanted = list(business_ids)
    found: dict[int, list[SellerRestriction]] = {}
    missing = []
    for business_id in wanted:
        kept = _kept.get(business_id)
        if kept is None:
            missing.append(business_id)
        else:
            found[business_id] = kept
    if missing:
        # Not lifted and not ended when read; whether each has started, or ended since, is
        # asked below on every use.
        read: dict[int, list[SellerRestriction]] = {business_id: [] for business_id in missing}
        for restriction in SellerRestriction.objects.filter(
            business_id__in=missing, lifted_at__isnull=True, ends_at__gt=now
        ).select_related("business"):
            read[restriction.business_id].append(restriction)
        _kept.keep(read)
        found.update(read)
    in_force = [
        restriction
        for business_id in wanted
        for restriction in found[business_id]
        if restriction.starts_at <= now < restriction.ends_at
    ]
    return sorted(in_force, key=lambda restriction: restriction.starts_at, reverse=True)


def restrictions_changed(**_signal: Any) -> None:
    """A restriction or a business was saved or deleted: read them again, now and once the
    change is committed. Connected to their models' signals (apps.py)."""
    _kept.forget_now_and_on_commit()


def kept_restrictions_forget() -> None:
    """Read the restrictions again on next use (tests start each from their own database)."""
    _kept.forget()
