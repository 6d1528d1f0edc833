"""The request type of pages that need a logged-in person."""

from __future__ import annotations

from django.http import HttpRequest

from messagecenter.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a view behind ``login_required``: its user is a real account.

    Only a type for the checker; Django passes the usual HttpRequest, and
    ``login_required`` is what makes the annotation true.
    """

    user: User
