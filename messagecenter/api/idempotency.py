"""`Idempotency-Key` on POST: a retried request gets the first answer, and runs once.

The record is inserted first, inside the transaction that carries out the request. A
second request with the same key blocks on the unique constraint until the first one
commits, then finds the stored answer; so two identical requests racing each other send
one message. The same key with a different request is a 409. An unexpected error rolls the
record back with everything else, so the tool may simply try again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from messagecenter.api.errors import ApiError
from messagecenter.api.models import ApiToken, IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def request_fingerprint(request: Request) -> str:
    """A hash of what the request asks for: method, path, query and parsed body.

    The parsed body, not the raw bytes: a multipart boundary differs on every retry.
    """
    files = {
        name: [
            (f.name, f.size, hashlib.sha256(b"".join(f.chunks())).hexdigest())
            for f in request.FILES.getlist(name)
        ]
        for name in request.FILES
    }
    data: Any = request.data
    if hasattr(data, "lists"):
        data = {key: values for key, values in data.lists() if key not in request.FILES}
    canonical = json.dumps(
        {
            "method": request.method,
            "path": request.path,
            "query": sorted(request.query_params.lists()),
            "data": data,
            "files": files,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _key_from(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError(
            _(
                "The %(header)s header must be 1 to %(max)d printable characters; "
                "a UUID is a good choice."
            )
            % {"header": HEADER, "max": MAX_KEY_LENGTH},
            code="invalid_idempotency_key",
        )
    return key


Handler = Callable[..., Response]


def idempotent(handler: Handler) -> Handler:
    """Make a POST handler honour Idempotency-Key (see the module docstring)."""

    @wraps(handler)
    def wrapper(view: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _key_from(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        fingerprint = request_fingerprint(request)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=request.user,
                        token=token,
                        key=key,
                        request_hash=fingerprint,
                        method=request.method or "POST",
                        path=request.path[:2000],
                    )
            except IntegrityError:
                # Another request with this key: wait for it to finish, then answer as it did.
                record = IdempotencyRecord.objects.select_for_update().get(
                    user=request.user, key=key
                )
                return _replay(record, fingerprint)
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                response = view.handle_exception(exc)  # re-raises what is not an API error
            record.response_status = response.status_code
            record.response_body = response.data
            record.save(update_fields=["response_status", "response_body"])
        return response

    return wrapper


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.request_hash != fingerprint:
        raise ApiError(
            _(
                "This %(header)s was already used for a different request. Use a new key "
                "for a new request, and the same key only to retry the same request."
            )
            % {"header": HEADER},
            code="idempotency_key_reused",
            status_code=status.HTTP_409_CONFLICT,
        )
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    return response
