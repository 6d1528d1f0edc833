"""Each business's conversations awaiting a reply, those overdue or due within 4 hours, its
conversations and those unassigned, and its team's messages held for review: kept in the
shared counts cache, not counted on every page.

Every seller page shows them (the navigation, the inbox's filters). They change with few
writes, each of which calls ``business_counts_changed`` in its transaction: a reply clock
started or stopped (the places a conversation's due time is written: a delivery's
``clock.on_delivery``, and ``clock.reply_clock.conversation_refresh_reply_due`` for
"no response needed" and a rebuild), a conversation closed, reopened, snoozed or woken
(threads/state.py, through messaging/handlers.py), a message held (``message_send``), a held
message released or rejected (``message_release``, ``review_reject``), a conversation's first
delivered message (``delivery._record_on_conversation``) and an assignment (``handlers``).
Overdue and due-soon also change as time passes, so a kept entry is good only until the
earliest due time still ahead passes, the earliest beyond the due-soon window enters it, or
the earliest snooze ends.

Invalidation writes no database row, so the send path stays as it is: a change replaces
the business's version token in the cache, now and again after commit. An entry is kept
with the token that was current before it was counted, and used only while that token is
current, so an entry counted from data a commit has since changed is never used after
the commit's new token.

Without the cache (Redis down or silent) the counts come from the database, from the
partial due-time and held indexes, and for RETRY_SECONDS after a failure the cache is not
asked at all, so a silent Redis holds no page or send for its socket timeout. A change
made meanwhile could not replace its token: an entry kept before the outage is then used
for at most KEPT_SECONDS. ``manage.py repair_business_counts [--check]`` recounts every
kept entry and drops the wrong ones.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from redis.exceptions import RedisError

from messagecenter.accounts.models import SellerBusiness
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.reply_due import DUE_SOON
from messagecenter.threads.selectors import in_work_lists

logger = logging.getLogger(__name__)

# A kept entry is dropped after this long even if no write invalidated it: the bound on
# how long a change made around the services (a restore, a manual fix) stays unseen.
KEPT_SECONDS = 15 * 60
_VERSION_SECONDS = 24 * 3600
RETRY_SECONDS = 10.0
# What a cache backend raises when its server does not answer (redis-py, sockets).
_UNANSWERED = (RedisError, OSError)


@dataclass(frozen=True)
class BusinessCounts:
    awaiting: int = 0  # a buyer waits for an answer (the reply clock runs)
    overdue: int = 0  # ... past its due time
    held: int = 0  # the team's own messages held for review
    due_soon: int = 0  # awaiting, due within DUE_SOON (not overdue yet)
    conversations: int = 0  # every conversation in the inbox (one message delivered)
    unassigned: int = 0  # ... of which no team member looks after
    closed: int = 0  # conversations the team closed (the Closed tab)
    snoozed: int = 0  # conversations snoozed until a time still ahead (the Snoozed tab)

    def __add__(self, other: BusinessCounts) -> BusinessCounts:
        return BusinessCounts(
            **{name: getattr(self, name) + getattr(other, name) for name in _COUNT_NAMES}
        )


_COUNT_NAMES = (
    "awaiting",
    "overdue",
    "held",
    "due_soon",
    "conversations",
    "unassigned",
    "closed",
    "snoozed",
)


@dataclass(frozen=True)
class Counted:
    counts: BusinessCounts
    next_due: datetime | None  # when the counts change with time alone (see valid_until)


class _Reachable:
    """Whether to ask the counts cache now: not for a while after it did not answer."""

    def __init__(self) -> None:
        self.down_until = 0.0

    def cache(self) -> BaseCache | None:
        if time.monotonic() < self.down_until:
            return None
        return caches[settings.BUSINESS_COUNTS_CACHE]

    def failed(self, error: Exception) -> None:
        first = time.monotonic() >= self.down_until
        self.down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning(
                "The business counts cache does not answer (%s); counting from the "
                "database, trying the cache again in %d s.",
                type(error).__name__,
                RETRY_SECONDS,
            )


reachable = _Reachable()


def _count_key(business_id: int) -> str:
    return f"business-counts:{business_id}"


def _version_key(business_id: int) -> str:
    return f"business-counts-version:{business_id}"


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of rows (already narrowed to the outer business) as a subquery, 0 if none."""
    counted = rows.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def _first_due_after(moment: datetime) -> Subquery:
    return Subquery(
        Conversation.objects.filter(seller_id=OuterRef("pk"), reply_due_at__gt=moment)
        .order_by("reply_due_at")
        .values("reply_due_at")[:1]
    )


def _valid_until(next_due: datetime | None, next_beyond_soon: datetime | None) -> datetime | None:
    """When time alone changes the counts: a due time passes (overdue, due soon), or one
    comes within DUE_SOON (due soon)."""
    moments = [next_due, next_beyond_soon - DUE_SOON if next_beyond_soon else None]
    return min((m for m in moments if m is not None), default=None)


def recount(business_ids: Iterable[int], now: datetime) -> dict[int, Counted]:
    """The counts of each business from the database, in one query (partial indexes:
    conv_seller_reply_due for the clocks, msg_held_for_review for the held,
    conv_seller_assignee_recent for the conversations and the unassigned ones,
    conv_seller_closed_recent and conv_seller_snoozed for the closed and the snoozed).

    Closed and snoozed conversations are not in the clock's counts, and snoozed ones not in
    All or Unassigned, as the inbox's lists leave them out (threads/state.py). Snoozed ones
    are few: they are counted on their own index and taken away, so the big counts stay
    ranges of one index each. A snooze ends by itself, so the entry is good only until the
    earliest snooze ends, as until the earliest due time."""
    clocks = Conversation.objects.filter(seller_id=OuterRef("pk"), reply_due_at__isnull=False)
    waiting = clocks.filter(in_work_lists(now))
    held = Message.objects.filter(
        status=Message.Status.HELD, sender_side=Side.SELLER, conversation__seller_id=OuterRef("pk")
    )
    listed = Conversation.objects.filter(seller_id=OuterRef("pk"), last_message_at__isnull=False)
    snoozed = listed.filter(snoozed_until__gt=now)
    next_wake = (
        Conversation.objects.filter(seller_id=OuterRef("pk"), snoozed_until__gt=now)
        .order_by("snoozed_until")
        .values("snoozed_until")[:1]
    )
    rows = (
        SellerBusiness.objects.filter(pk__in=list(business_ids))
        .annotate(
            # Named apart from the business's own fields (its conversations relation).
            n_awaiting=_count_of(waiting),
            n_overdue=_count_of(waiting.filter(reply_due_at__lte=now)),
            n_held=_count_of(held),
            n_due_soon=_count_of(
                waiting.filter(reply_due_at__gt=now, reply_due_at__lte=now + DUE_SOON)
            ),
            n_conversations=_count_of(listed) - _count_of(snoozed),
            n_unassigned=_count_of(listed.filter(assigned_to__isnull=True))
            - _count_of(snoozed.filter(assigned_to__isnull=True)),
            n_closed=_count_of(listed.filter(closed_at__isnull=False)),
            n_snoozed=_count_of(snoozed),
            next_due=_first_due_after(now),
            next_beyond_soon=_first_due_after(now + DUE_SOON),
            next_wake=Subquery(next_wake),
        )
        .values_list(
            "pk",
            *(f"n_{name}" for name in _COUNT_NAMES),
            "next_due",
            "next_beyond_soon",
            "next_wake",
        )
    )
    return {
        pk: Counted(
            BusinessCounts(**dict(zip(_COUNT_NAMES, counts, strict=True))),
            _earliest(_valid_until(next_due, next_beyond_soon), next_wake),
        )
        for pk, *counts, next_due, next_beyond_soon, next_wake in rows
    }


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def _usable(entry: object, version: object, now: datetime) -> BusinessCounts | None:
    if not isinstance(entry, dict) or entry.get("version") != version:
        return None
    # Good from the moment it was counted (an earlier clock would see other due times)
    # until the next due time passes.
    valid_until = entry.get("valid_until")
    if now < entry["counted_at"] or (valid_until is not None and now >= valid_until):
        return None
    if any(name not in entry for name in _COUNT_NAMES):
        return None  # kept by an earlier version that counted less
    return BusinessCounts(**{name: entry[name] for name in _COUNT_NAMES})


def business_counts(business_ids: Iterable[int], now: datetime | None = None) -> BusinessCounts:
    """The businesses' counts added up: from the cache (one lookup for all), counting only
    the businesses whose entry is missing, invalidated or past its next due time."""
    now = now or timezone.now()
    ids = sorted(set(business_ids))
    if not ids:
        return BusinessCounts()
    cache = reachable.cache()
    found: dict[str, Any] = {}
    if cache is not None:
        try:
            found = cache.get_many([_count_key(b) for b in ids] + [_version_key(b) for b in ids])
        except _UNANSWERED as error:
            reachable.failed(error)
            cache = None
    if cache is None:
        return sum((c.counts for c in recount(ids, now).values()), BusinessCounts())
    total = BusinessCounts()
    stale = {}
    for business_id in ids:
        version = found.get(_version_key(business_id))
        kept = _usable(found.get(_count_key(business_id)), version, now)
        if kept is None:
            stale[business_id] = version
        else:
            total += kept
    if not stale:
        return total
    counted = recount(stale, now)
    entries = {}
    for business_id, version in stale.items():
        fresh = counted.get(business_id, Counted(BusinessCounts(), None))
        total += fresh.counts
        entries[_count_key(business_id)] = {
            "version": version,
            **{name: getattr(fresh.counts, name) for name in _COUNT_NAMES},
            "counted_at": now,
            "valid_until": fresh.next_due,
        }
    try:
        cache.set_many(entries, KEPT_SECONDS)
    except _UNANSWERED as error:
        reachable.failed(error)
    return total


def _new_version(business_id: int) -> None:
    cache = reachable.cache()
    if cache is None:
        return  # the kept entry then lives until KEPT_SECONDS at most
    try:
        cache.set(_version_key(business_id), uuid.uuid4().hex, _VERSION_SECONDS)
    except _UNANSWERED as error:
        reachable.failed(error)


def business_counts_changed(business_id: int) -> None:
    """A write in the current transaction changes the business's counts: its kept entry is
    invalidated now (this process's later reads in the transaction) and after commit
    (everyone's reads after it; an entry counted meanwhile from the old data is dropped)."""
    _new_version(business_id)
    transaction.on_commit(lambda: _new_version(business_id))


@dataclass(frozen=True)
class WrongEntry:
    business_id: int
    kept: BusinessCounts
    counted: BusinessCounts


def business_counts_check(now: datetime | None = None) -> list[WrongEntry]:
    """The businesses whose current kept entry differs from a recount."""
    now = now or timezone.now()
    ids = list(SellerBusiness.objects.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return []
    cache = caches[settings.BUSINESS_COUNTS_CACHE]  # the command fails if it does not answer
    found = cache.get_many([_count_key(b) for b in ids] + [_version_key(b) for b in ids])
    kept = {}
    for business_id in ids:
        usable = _usable(
            found.get(_count_key(business_id)), found.get(_version_key(business_id)), now
        )
        if usable is not None:
            kept[business_id] = usable
    counted = recount(kept, now) if kept else {}
    return [
        WrongEntry(b, kept[b], counted[b].counts)
        for b in kept
        if b in counted and counted[b].counts != kept[b]
    ]


def business_counts_repair(now: datetime | None = None) -> list[WrongEntry]:
    """Drop every wrong kept entry (the next page counts it afresh); returns those."""
    wrong = business_counts_check(now)
    for entry in wrong:
        _new_version(entry.business_id)
    return wrong
