"""The language switcher at the foot of every page: a logged-in person's choice is stored
on their account, a visitor's in a cookie; then back to the page they were on."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from messagecenter.accounts.locale import is_language, language_choices, language_set
from messagecenter.accounts.models import User


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(_safe_next(request))
    language = request.POST.get("language", "")
    if not is_language(language):
        names = ", ".join(name for _code, name in language_choices())
        messages.error(
            request,
            _("The language was not changed: choose one of %(languages)s.") % {"languages": names},
        )
        return response
    if isinstance(request.user, User):  # logged in
        language_set(user=request.user, language=language)
    # Also for a logged-in person: the pages after they log out stay in their language.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _safe_next(request: HttpRequest) -> str:
    """The page to go back to: only a page of this site (never another host's)."""
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")
