"""Read the navigation's facts before the views that would otherwise ask twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from messagecenter.inbox.context_processors import navigation_facts


class NavigationFirstMiddleware:
    """A page marked with accounts.decorators.reads_memberships (every seller_pages_only
    page) learns which businesses the user works for before it renders the navigation.
    Read first, the navigation's facts bring the businesses with them in one query, and
    the view's membership check then finds them known; read after, the check and the
    counts are two queries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if getattr(view_func, "reads_memberships", False) and request.user.is_authenticated:
            navigation_facts(request)
