"""What happens when someone logs in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from messagecenter.accounts.locale import locale_first_set
from messagecenter.accounts.models import User


def first_locale_at_login(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    """A person's language is first their browser's (see locale.locale_first_set)."""
    if isinstance(user, User) and request is not None:
        locale_first_set(user=user, request=request)
