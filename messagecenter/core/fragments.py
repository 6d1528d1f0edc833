"""Rows of a list rendered once and then kept by their version.

Rendering a row through its template (names, dates, filters) costs more than reading it
on the pages that list many: a conversation's 50 messages, Manage Orders' 25 orders. A
row's HTML is kept under a digest of everything its template shows of it (the version:
the caller names those values), plus the template, the language and the time zone. Any
change to one of them is a new key, so nothing has to be invalidated and a kept row is
never stale; unused ones fall out of the cache. The cache is the process's own memory
(settings.FRAGMENT_CACHE), so a deploy, with perhaps a changed template, starts empty. A
change to what a template shows must add the value to its caller's version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

# Kept a day after last written; a busy process drops the least recently used first.
_KEPT_SECONDS = 24 * 3600


def _keys(
    template_name: str, versions: Sequence[Sequence[Any]], shared: Sequence[Any]
) -> list[str]:
    """Each row's key: what every row has in common (template, language, time zone and the
    caller's ``shared`` values) is hashed once, and each row's version onto a copy."""
    common = hashlib.blake2b(
        repr(
            (
                template_name,
                translation.get_language(),
                timezone.get_current_timezone_name(),
                tuple(shared),
            )
        ).encode(),
        digest_size=20,
    )
    keys = []
    for version in versions:
        row = common.copy()
        row.update(repr(tuple(version)).encode())
        keys.append("fragment:" + row.hexdigest())
    return keys


def rendered_rows(
    template_name: str,
    rows: Sequence[tuple[Sequence[Any], Mapping[str, Any]]],
    *,
    shared: Sequence[Any] = (),
) -> list[SafeString]:
    """Each row's HTML, in order: ``rows`` are (version, template context) pairs, and
    ``shared`` is the part of the version every row has (the page's, named once). Kept
    rows come from the cache (one lookup for all), the rest are rendered and kept."""
    keys = _keys(template_name, [version for version, _ in rows], shared)
    cache = caches[settings.FRAGMENT_CACHE]
    kept: dict[str, str] = cache.get_many(keys)
    rendered: dict[str, str] = {}
    template = get_template(template_name)
    for (_, context), key in zip(rows, keys, strict=True):
        if key not in kept and key not in rendered:
            rendered[key] = template.render(dict(context))
    if rendered:
        cache.set_many(rendered, _KEPT_SECONDS)
    # The template's output, made safe by its own escaping.
    return [mark_safe(kept.get(key) or rendered[key]) for key in keys]  # noqa: S308
