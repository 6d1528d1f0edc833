"""Which text search configuration reads a message: its detected language's, else simple.

Each configuration is PostgreSQL's own for the language with ``unaccent`` in front of the
stemmer (made by the migration), so "Lieferung", "lieferungen" and "LIEFERÜNG" meet, and
"café" finds "cafe". The name is kept on each row (``MessageSearch.config``): its passage is
cut and highlighted as its words were read.
"""

from __future__ import annotations

SIMPLE = "mc_simple"
BY_LANGUAGE = {
    "en": "mc_english",
    "de": "mc_german",
    "fr": "mc_french",
    "es": "mc_spanish",
    "it": "mc_italian",
}
# Every configuration a row may have: a query, in whatever language, is parsed in each
# (search/selectors.py).
ALL_CONFIGS = (*BY_LANGUAGE.values(), SIMPLE)


def config_for(language: str) -> str:
    """The configuration for an ISO 639-1 code; simple for any other language."""
    return BY_LANGUAGE.get(language, SIMPLE)
