"""Masked addresses: one stable pair per buyer and seller business, created on first contact.

An address is ``<token>@<MESSAGECENTER_EMAIL_DOMAIN>``; the token is 100 random bits in
lower-case base32, so it is safe in any mail system and reveals nothing.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.core.prepared import prepared_cursor
from messagecenter.relay.models import ProxyAddressPair
from messagecenter.relay.rows import ModelColumns, cache_related
from messagecenter.threads.models import Side

TOKEN_BYTES = 13  # 104 bits, well over the 80 the design asks for
_KEPT_SECONDS = 24 * 3600


def new_token() -> str:
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii").rstrip("=").lower()


def proxy_pair_for(buyer: User, seller: SellerBusiness) -> ProxyAddressPair:
    """The pair's masked addresses, made the first time the two are in contact."""
    existing = ProxyAddressPair.objects.filter(buyer=buyer, seller=seller).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ProxyAddressPair.objects.create(
                buyer=buyer, seller=seller, buyer_token=new_token(), seller_token=new_token()
            )
    except IntegrityError:  # made at the same moment by another request
        return ProxyAddressPair.objects.get(buyer=buyer, seller=seller)


def address_of(token: str) -> str:
    return f"{token}@{settings.MESSAGECENTER_EMAIL_DOMAIN}"


def masked_address(pair: ProxyAddressPair, side: Side | str) -> str:
    """The masked address that stands for this side of the pair."""
    return address_of(pair.buyer_token if side == Side.BUYER else pair.seller_token)


@dataclass(frozen=True)
class ResolvedAddress:
    pair: ProxyAddressPair
    side: Side  # whose masked address it is: mail to it is for this side
    # The seller's active team, earliest first, each membership with its user: who may
    # write to the buyer's address (relay.senders); read in the same statement.
    team: tuple[Membership, ...] = ()


def resolve_masked_address(address: str, *, lock: bool = False) -> ResolvedAddress | None:
    """Which pair and side a masked address belongs to; None for anything else.

    ``lock``: the pair's row is locked until the transaction ends (the caller holds one),
    in the same statement that finds it.
    """
    local, _, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower() != settings.MESSAGECENTER_EMAIL_DOMAIN or not local:
        return None
    token = local.lower()
    # This runs at RCPT and again for every email received: one statement written once
    # per process (rows), for both token columns (each has its unique index), a row for
    # each active member of the seller's team (one with none when it has nobody).
    lock = lock and connection.features.has_select_for_update_of
    with prepared_cursor() as cursor:
        cursor.execute(_pair_sql(lock=lock), [token, token])
        rows = cursor.fetchall()
    if not rows:
        return None
    pair = _PAIR.read(rows[0], 0)
    cache_related(pair, "buyer", _BUYER.read(rows[0], len(_PAIR)))
    cache_related(pair, "seller", _SELLER.read(rows[0], len(_PAIR) + len(_BUYER)))
    side = Side.BUYER if pair.buyer_token == token else Side.SELLER
    return ResolvedAddress(pair, side, tuple(_team(rows, pair)))


def _team(rows: list[tuple[Any, ...]], pair: ProxyAddressPair) -> list[Membership]:
    start = len(_PAIR) + len(_BUYER) + len(_SELLER)
    team = []
    for row in rows:
        membership = _MEMBERSHIP.read(row, start)
        if membership is None:
            continue
        cache_related(membership, "user", _MEMBER.read(row, start + len(_MEMBERSHIP)))
        cache_related(membership, "business", pair.seller)
        team.append(membership)
    return team


_PAIR = ModelColumns(ProxyAddressPair, "pair")
_BUYER = ModelColumns(User, "buyer")
_SELLER = ModelColumns(SellerBusiness, "seller")
_MEMBERSHIP = ModelColumns(Membership, "membership")
_MEMBER = ModelColumns(User, "member")


@cache
def _pair_sql(*, lock: bool) -> str:
    """The pair with its buyer, seller and active team; ``lock`` locks the pair's row alone."""
    pairs, users = ProxyAddressPair._meta.db_table, User._meta.db_table
    one_pair = f"SELECT id FROM {pairs} WHERE buyer_token = %s OR seller_token = %s"  # noqa: S608
    tables = (
        f"{pairs} pair"
        f" JOIN {users} buyer ON buyer.id = pair.buyer_id"
        f" JOIN {SellerBusiness._meta.db_table} seller ON seller.id = pair.seller_id"
        f" LEFT JOIN ({Membership._meta.db_table} membership"
        f" JOIN {users} member ON member.id = membership.user_id AND member.is_active)"
        " ON membership.business_id = pair.seller_id"
    )
    columns = ", ".join(c.select for c in (_PAIR, _BUYER, _SELLER, _MEMBERSHIP, _MEMBER))
    return (
        f"SELECT {columns} FROM {tables} WHERE pair.id = ({one_pair} ORDER BY id LIMIT 1)"  # noqa: S608
        " ORDER BY membership.created_at, membership.id" + (" FOR UPDATE OF pair" if lock else "")
    )


def reply_by_email_address(buyer: User, seller: SellerBusiness, viewer_side: Side) -> str:
    """The masked address the viewer writes to in order to reach the other side.

    A pair's tokens never change once made, so every conversation and order page after
    the first reads the address from the process's memory, not from the database."""
    other = Side.BUYER if viewer_side == Side.SELLER else Side.SELLER
    key = f"masked-address:{buyer.pk}:{seller.pk}:{other}"
    cache = caches[settings.FRAGMENT_CACHE]
    address: str | None = cache.get(key)
    if address is None:
        address = masked_address(proxy_pair_for(buyer, seller), other)
        cache.set(key, address, _KEPT_SECONDS)
    return address
