"""Headers every email the message center writes by itself carries."""

from __future__ import annotations

# Outlook and Exchange honour this: no out-of-office answers to our mail (no loops).
NO_AUTO_REPLIES = {"X-Auto-Response-Suppress": "OOF, AutoReply"}

# RFC 3834: a notice written by the system, which mail programs must not answer.
AUTO_GENERATED = {"Auto-Submitted": "auto-generated", **NO_AUTO_REPLIES}
# RFC 3834: an automatic answer to an email someone sent us.
AUTO_REPLIED = {"Auto-Submitted": "auto-replied", **NO_AUTO_REPLIES}
