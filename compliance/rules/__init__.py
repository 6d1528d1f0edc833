"""Every rule module; importing this package registers all checks with the engine."""

from compliance.rules import (
    attachments,  # noqa: F401
    contact,  # noqa: F401
    content,  # noqa: F401
    context,  # noqa: F401
    formatting,  # noqa: F401
    links,  # noqa: F401
    media,  # noqa: F401
)
