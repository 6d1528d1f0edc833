"""What a process that stores email does before it takes the first one."""

from __future__ import annotations

from compliance.warm import warm_up as load_policy_checks
from messagecenter.core.long_running import settle_garbage_collector


def prepare_relay_process() -> None:
    """Load what checking a message needs (every language's vocabularies, the language
    detector), then settle the garbage collector, whose full collections otherwise stopped
    the relay for 50-190 ms every few dozen emails."""
    load_policy_checks()
    settle_garbage_collector()
