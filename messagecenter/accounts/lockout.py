"""Failed logins: who is trying (account and client address) and the locked-out page.

django-axes counts failures per account and per client address and refuses logins after
``LOGIN_FAILURE_LIMIT`` of either, for ``LOGIN_COOLOFF_MINUTES``. This module gives it the
two identities and the page a locked-out person sees; administrators unlock accounts from
the user list (``sign_in_unlock``), and a completed password reset unlocks the account.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from messagecenter.accounts.models import User


def client_address(request: HttpRequest) -> str:
    """The address of the person, not of our own proxies.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appended the address it got the
    request from to X-Forwarded-For, so the client is that many entries from the right.
    Anything further left was written by the client and is ignored; with no proxies the
    header is ignored entirely.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote  # it did not come through every proxy: only the socket is known
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account being tried, as the login form reads it ("Sam@X " is "sam@x")."""
    value = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    return str(value or "").strip().lower()


def lockout_ends_at(username: str, address: str) -> datetime | None:
    """When the newest failure behind the lock stops counting."""
    cool_off: timedelta | None = get_cool_off()
    latest = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address)).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    if cool_off is None or latest is None:
        return None
    ends_at: datetime = latest + cool_off
    return ends_at


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of logging in: how long it lasts and what to do meanwhile."""
    ends_at = lockout_ends_at(login_username(request, credentials), client_address(request))
    minutes = None
    if ends_at is not None:
        minutes = max(1, math.ceil((ends_at - timezone.now()).total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {
            "minutes": minutes,
            "ends_at": ends_at,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )


def sign_in_unlock(*, users: Iterable[User]) -> int:
    """Forget the failed logins of these accounts so they can log in at once.

    Returns how many records of failed logins were removed. A lock on a client address
    is lifted in the admin's "Access attempts" list.
    """
    return sum(reset(username=user.email) for user in users)
