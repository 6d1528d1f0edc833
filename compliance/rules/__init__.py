"""The rules, one module per rule namespace: ``compliance.rules.<namespace>`` holds exactly
the rules whose id starts with ``<namespace>.`` (tests/compliance/test_layout.py keeps it so).
``findings`` holds what several of them share and registers no rule.

Importing this package registers every check with the engine.
"""

from compliance.rules import (
    attach,  # noqa: F401
    contact,  # noqa: F401
    content,  # noqa: F401
    format,  # noqa: F401
    link,  # noqa: F401
    media,  # noqa: F401
    pair,  # noqa: F401
    promo,  # noqa: F401
    review,  # noqa: F401
    seller,  # noqa: F401
    text,  # noqa: F401
    type,  # noqa: F401
    window,  # noqa: F401
)
