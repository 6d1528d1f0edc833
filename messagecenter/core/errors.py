"""The one exception type for problems a user can cause and fix."""

from __future__ import annotations


class UserFacingError(Exception):
    """Raised by services when a request cannot be carried out as asked.

    ``message`` is a sentence the person can act on; ``field`` names the form field it is
    about, when there is one, so the view can show it next to that field.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
