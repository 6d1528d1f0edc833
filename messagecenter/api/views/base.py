"""What every API view shares: authentication, throttles, and the documented errors."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from messagecenter.accounts.locale import language_of
from messagecenter.accounts.models import User
from messagecenter.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from messagecenter.api.serializers import ErrorSerializer
from messagecenter.api.throttling import OperationRateThrottle, TokenRateThrottle, refused_waits

_ERRORS = {
    400: "The request is not valid; details.fields says which field and why.",
    401: "No valid credentials: a missing, unknown or revoked token.",
    403: "A browser session request without its CSRF token.",
    404: "No such object, or not one of yours: both answer the same way.",
    409: "This Idempotency-Key was used for a different request.",
    422: "Refused by the messaging policy; details.violations names the rules.",
    415: "The body is not in a format this operation accepts (see its request body).",
    429: "Too many requests; wait for Retry-After seconds.",
    500: "Something failed on our side; the body has the same error shape.",
    503: "The database cannot be reached; wait for Retry-After seconds and try again.",
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The documented error responses for an operation (401, 403, 429, 500 and 503 always)."""
    wanted = sorted({401, 403, 429, 500, 503, *statuses})
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in wanted}


IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Send the same key to retry safely: the first answer is returned and "
    "nothing is done twice. The same key with a different request is a 409.",
)


class ApiView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle, OperationRateThrottle]
    throttle_scope = "api.read"

    def perform_authentication(self, request: Request) -> None:
        """Authenticate, then answer in the caller's language. The locale middleware runs
        before DRF reads the token, so for a token it could only choose from
        Accept-Language; the token owner's own language, once known, wins, as a logged-in
        person's does on the pages. A failed authentication is answered in the language the
        middleware chose."""
        super().perform_authentication(request)
        user: Any = request.user
        if user.is_authenticated and user.language:
            translation.activate(language_of(user))
            request.LANGUAGE_CODE = translation.get_language()

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """Every answer, errors included, says which language its messages are in, and
        that it varies with the token as well as with Accept-Language."""
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        return response

    def check_throttles(self, request: Request) -> None:
        """DRF's check, with both limits counted in one read and one write of the shared
        cache (throttling.refused_waits); the longest wait of those that refuse is sent."""
        waits = refused_waits(self.get_throttles(), request, self)
        if waits:
            self.throttled(request, max((w for w in waits if w is not None), default=None))

    def caller(self) -> User:
        user: Any = self.request.user
        return user


def post_errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """A POST can also meet a malformed body or Idempotency-Key (400), a reused key (409)
    and a body it cannot read (415)."""
    return errors(400, 409, 415, *statuses)
