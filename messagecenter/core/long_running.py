"""Setting aside from the garbage collector what a long-running process loaded at start.

The relay loads a great deal once and keeps it for good: Django's and Celery's modules, the
policy engine's vocabularies and the language detector's models, some 180,000 objects.
Python's cyclic collector would walk all of them again on every full collection (tens of
milliseconds each, seen while storing email); frozen, they are never walked again, and a
forked child shares their pages instead of copying them as the collector touches them.
"""

from __future__ import annotations

import gc


def freeze_what_is_loaded() -> None:
    """Collect what start-up left behind, then move everything alive into the collector's
    permanent generation. Call it once, after loading and before serving (and forking)."""
    gc.collect()
    gc.freeze()
