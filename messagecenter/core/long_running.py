"""Keeping the garbage collector out of a long-running process's way.

The relay and the workers load a great deal once and keep it for good: Django's and
Celery's modules, the policy engine's vocabularies and the language detector's models.
Python's cyclic collector walked all of it again on every full collection, and with its
default thresholds (a first-generation pass every 700 new containers, a full one every
hundred of those) a full collection came every few dozen emails and stopped the process
for 50-190 ms (seen storing email at the relay's pace, `bench/inbound_email.py`).
"""

from __future__ import annotations

import gc

# Containers allocated between first-generation passes, and passes between older ones. An
# email makes thousands (parsed headers, rows, the policy engine's findings), nearly all
# freed by reference counting as soon as it is stored; cycles are rare and small.
_THRESHOLDS = (50_000, 20, 50)


def settle_garbage_collector() -> None:
    """Collect what start-up left behind, move everything alive into the collector's
    permanent generation (never walked again), and make passes rarer. Call it once, after
    loading and before serving: before forking, so the children share those pages instead
    of copying them as the collector touches them."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_THRESHOLDS)
