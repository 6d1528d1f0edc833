"""Small things the fault tests share: a signed-in browser's cookie, an API token header."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from messagecenter.api.tokens import api_token_create


def session_cookie(user) -> dict[str, str]:
    """The Cookie header of a browser in which the user is signed in."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={value}"}


def api_token_header(user) -> dict[str, str]:
    key = api_token_create(user=user, name="Helpdesk").key
    return {"Authorization": f"Bearer {key}"}
