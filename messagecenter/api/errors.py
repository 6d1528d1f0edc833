"""One JSON shape for every API error: {"code", "message", "details"}.

`code` is stable (tools switch on it), `message` is a sentence a person can act on, and
`details` carries what a tool needs to show or fix the problem: the fields that are wrong,
the policy rules that blocked a message, how long to wait.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from compliance.engine import Violation
from compliance.policy import RULES, Action
from messagecenter.core.errors import UserFacingError


class ApiError(exceptions.APIException):
    """An error with its own stable code and details."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        details: dict[str, Any] | None = None,
    ):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.message = message
        self.details = details or {}


def error_response(
    status_code: int, code: str, message: str, details: dict[str, Any] | None = None
) -> JsonResponse:
    """The error shape outside DRF: for the server's own 500 and 503 on an /api/ path."""
    return JsonResponse(
        {"code": code, "message": message, "details": details or {}}, status=status_code
    )


def server_error_response() -> JsonResponse:
    """500: something failed on our side that no other answer covers."""
    return error_response(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "server_error",
        _(
            "Something went wrong on our side. Try again in a moment; a POST sent with the "
            "same Idempotency-Key is never done twice."
        ),
    )


def service_unavailable_response(retry_after: int) -> JsonResponse:
    """503: the database cannot be reached; nothing can be read or written until it can."""
    response = error_response(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "service_unavailable",
        ngettext(
            "The service cannot reach its database right now. Try again in %(seconds)d "
            "second; a POST sent with the same Idempotency-Key is never done twice.",
            "The service cannot reach its database right now. Try again in %(seconds)d "
            "seconds; a POST sent with the same Idempotency-Key is never done twice.",
            retry_after,
        )
        % {"seconds": retry_after},
        {"retry_after": retry_after},
    )
    response["Retry-After"] = str(retry_after)
    return response


def violation_details(violations: Iterable[Violation]) -> list[dict[str, str]]:
    return [
        {**v.as_dict(), "title": RULES[v.rule].title if v.rule in RULES else v.rule}
        for v in violations
    ]


def policy_blocked(
    violations: Sequence[Violation],
    *,
    of_file: bool = False,
    verdict: str = "block",
) -> ApiError:
    """422 naming the rules that block, with every violation (blocking or not); about an
    uploaded file when ``of_file``, else about a message."""
    blocking = [v for v in violations if v.action == Action.BLOCK]
    rules = ", ".join(dict.fromkeys(v.rule for v in blocking))
    if of_file:
        # Translators: %(rules)s lists policy rule ids, such as "contact.email, link.url".
        message = _(
            "The file was not accepted because it breaks the messaging policy (%(rules)s). "
            "Change what the violations point at and try again."
        )
    else:
        # Translators: %(rules)s lists policy rule ids, such as "contact.email, link.url".
        message = _(
            "The message was not sent because it breaks the messaging policy (%(rules)s). "
            "Change what the violations point at and try again."
        )
    return ApiError(
        message % {"rules": rules},
        code="policy_blocked",
        status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        details={"verdict": verdict, "violations": violation_details(violations)},
    )


_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "malformed_request",
    exceptions.ValidationError: "invalid",
}


def _code_for(exc: Exception) -> str:
    for kind, code in _CODES.items():
        if isinstance(exc, kind):
            return code
    return "error"


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = _first_message(value)
            return inner if key == "non_field_errors" else f"{key}: {inner}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, then everything reshaped into the one error shape."""
    if isinstance(exc, UserFacingError):
        field = exc.field or "non_field_errors"
        exc = ApiError(exc.message, code=exc.code, details={"fields": {field: [exc.message]}})
    if isinstance(exc, Http404):
        message = str(exc) or _("Not found.")
        exc = ApiError(message, code="not_found", status_code=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        response.data = {"code": exc.error_code, "message": exc.message, "details": exc.details}
        return response
    details: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        message = _("The request is not valid: %(problem)s") % {
            "problem": _first_message(exc.detail)
        }
        details["fields"] = (
            exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        )
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 1)
        message = ngettext(
            "Too many requests. Try again in %(seconds)d second.",
            "Too many requests. Try again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
        details["retry_after"] = wait
    else:
        message = str(getattr(exc, "detail", exc))
    response.data = {"code": _code_for(exc), "message": message, "details": details}
    return response
