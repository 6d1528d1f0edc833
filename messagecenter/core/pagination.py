from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, rows: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a page number out of range or malformed gives the nearest page."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
