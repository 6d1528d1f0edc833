"""Every rule module; importing this package registers all checks with the engine."""

from compliance.rules import context  # noqa: F401
