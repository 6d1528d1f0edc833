"""Every request in its reader's language and time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from messagecenter.accounts.locale import language_of, marketplace_zone, zone_of


class UserLocaleMiddleware:
    """A logged-in person reads in the language and time zone stored on their account; a
    visitor in the language of the switcher's cookie or their browser's Accept-Language,
    and the marketplace's zone. The URL never carries a language, so a response varies on
    the headers that choose it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = language_of(user) if user.language else _asked_for(request)
            zone = zone_of(user)
        else:
            language, zone = _asked_for(request), marketplace_zone()
        translation.activate(language)
        timezone.activate(zone)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # The response is rendered by now; nothing after it in this thread (a test, the
            # next request before it activates its own) inherits this reader's choice.
            translation.deactivate()
            timezone.deactivate()
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


def _asked_for(request: HttpRequest) -> str:
    return translation.get_language_from_request(request)
