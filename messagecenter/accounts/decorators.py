"""View decorators that send people to the pages meant for them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.selectors import is_seller_member


def seller_pages_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A seller team's page: anyone else is sent to their own start page, and told why.

    Put it under ``login_required``: an anonymous visitor is sent to log in first.
    """

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_seller_member(request.user):
            messages.info(
                request,
                _(
                    "That page is for sellers' teams, and you do not work for a seller. "
                    "Here is your own start page."
                ),
            )
            return redirect("home")
        return view(request, *args, **kwargs)

    return reads_memberships(wrapped)


def reads_memberships(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a page whose view asks which businesses the user works for: the navigation's
    facts are then read before the view, together with the businesses, so the page asks
    once instead of twice (messagecenter/inbox/middleware.py). Decorators that wrap it
    with functools.wraps (login_required, require_GET) keep the mark."""
    view.reads_memberships = True  # type: ignore[attr-defined]
    return view
