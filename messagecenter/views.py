"""Site-wide views: the front door and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from messagecenter.accounts.selectors import is_seller_member
from messagecenter.celery import app as celery_app
from messagecenter.core.ids import InvalidId


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


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return False, type(error).__name__
    return True, "ok"


def _broker_ok() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return False, type(error).__name__
    return True, "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 with the failing part otherwise."""
    db_ok, db_state = _database_ok()
    broker_ok, broker_state = _broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": db_state,
            "broker": broker_state,
        },
        status=200 if healthy else 503,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: says which id was wrong when that is the reason; nothing else is disclosed."""
    message = exception.message if isinstance(exception, InvalidId) else ""
    if request.path.startswith("/api/") or request.path == reverse("compliance_check"):
        return JsonResponse(
            {
                "code": "bad_request",
                "message": message or _("The request was malformed."),
                "details": {},
            },
            status=400,
        )
    return render(request, "400.html", {"message": message}, status=400)
