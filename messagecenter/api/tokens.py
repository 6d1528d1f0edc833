"""Personal API tokens: created and named by their owner, shown once, kept hashed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from messagecenter.accounts.models import User
from messagecenter.api.models import ApiToken
from messagecenter.core.errors import UserFacingError

KEY_PREFIX = "mc_"
SHOWN_PREFIX_LENGTH = 10
# last_used_at is a hint for people, not an audit log: write it at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # the only moment the whole key exists outside the client


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_create(*, user: User, name: str) -> NewToken:
    """A new token for the user; the returned key is never stored."""
    name = " ".join((name or "").split())[:100]
    if not name:
        raise UserFacingError(_("Name the token after the tool that will use it."), field="name")
    if tokens_for_user(user).filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise UserFacingError(
            ngettext(
                "You already have %(count)d active token; revoke it if you no longer use it.",
                "You already have %(count)d active tokens; revoke one you no longer use first.",
                MAX_ACTIVE_TOKENS,
            )
            % {"count": MAX_ACTIVE_TOKENS},
            field="name",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:SHOWN_PREFIX_LENGTH], key_hash=hash_key(key)
    )
    return NewToken(token=token, key=key)


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke at once; requests with the key are refused from now on."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def access_token_of_user(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; anyone else's answers like a missing one."""
    token = tokens_for_user(user).filter(pk=token_id).first() if user.is_authenticated else None
    if token is None:
        raise Http404(_("No such token."))
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The token with this key, revoked or not, with its user."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def token_mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
