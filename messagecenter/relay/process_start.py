"""What a process that stores email does before it takes the first one."""

from __future__ import annotations

from compliance.warm import warm_up as load_policy_checks
from messagecenter.core.long_running import freeze_what_is_loaded


def prepare_relay_process() -> None:
    """Load what checking a message needs (every language's vocabularies, the language
    detector), so that the first emails do not wait for it, then set everything loaded
    aside from the garbage collector."""
    load_policy_checks()
    freeze_what_is_loaded()
