"""Site-wide views: the front door, the health check, and the answers to errors no view
handled (400, 500, and 503 while the database is unreachable)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from messagecenter import health
from messagecenter.accounts.selectors import is_seller_member
from messagecenter.api.errors import server_error_response, service_unavailable_response
from messagecenter.core.ids import InvalidId

# How long a client is asked to wait before trying again while the database is down.
RETRY_AFTER_SECONDS = 30


def home(request: HttpRequest) -> HttpResponse:
    """Where each person starts: administrators at the review queue, sellers' teams in
    their inbox, buyers in theirs. Logging in lands here."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_staff:
        return redirect("review_queue")
    if is_seller_member(request.user):
        return redirect("seller_inbox")
    return redirect("buyer_inbox")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 with the failing part otherwise;
    within a second either way (messagecenter/health.py)."""
    states = health.run_checks({"database": health.database_state, "broker": health.broker_state})
    healthy = all(state == "ok" for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **states},
        status=200 if healthy else 503,
    )


def _answers_in_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or request.path == reverse("compliance_check")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: says which id was wrong when that is the reason; nothing else is disclosed."""
    message = exception.message if isinstance(exception, InvalidId) else ""
    if _answers_in_json(request):
        return JsonResponse(
            {
                "code": "bad_request",
                "message": message or _("The request was malformed."),
                "details": {},
            },
            status=400,
        )
    return render(request, "400.html", {"message": message}, status=400)


def _database_unreachable(error: BaseException | None) -> bool:
    """Whether the error, or one it arose from, is the database failing.

    A session loaded while the database is cut fails inside Django's own code, and what
    surfaces there may be another error raised while handling the database's one.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database is unreachable; JSON under /api/, else a page.

    Django calls this for an exception nothing else handled, wherever it was raised: in a
    view or in a middleware (the session middleware loading or saving a session). A
    middleware cannot catch those itself, since Django turns each middleware's exception
    into a response before the one outside it sees it. Neither answer touches the
    database: the pages are rendered without the request's context.
    """
    if _database_unreachable(sys.exc_info()[1]):
        if _answers_in_json(request):
            return service_unavailable_response(RETRY_AFTER_SECONDS)
        page = HttpResponse(loader.render_to_string("503.html"), status=503)
        page["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return page
    if _answers_in_json(request):
        return server_error_response()
    return HttpResponse(loader.render_to_string("500.html"), status=500)
