"""attach.type, attach.content, attach.count and attach.size: the files a message carries.

attach.count and attach.size look only at how many files there are and how large they are
together. attach.type and attach.content judge what each attached file really is, from its
content: the checks themselves live in ``compliance.files``; these rules run them once per
file and message (both rules share the reports) and turn the problems into findings. Files
are only read when the message is within the size cap: an oversized message is already
blocked by attach.size, and reading it would be wasted work. Names are checked either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from compliance.engine import Finding, RuleContext, rule
from compliance.files import FileReport, Limits, inspect_file, inspect_name

# Per check: each file's content, read once, and the reports per language. A report's
# sentences are written in the active language, and the engine runs a rule that found
# something again in each language (compliance.engine); the files are not read again.
_contents: WeakKeyDictionary[RuleContext, tuple[bytes | None, ...]] = WeakKeyDictionary()
_reports: WeakKeyDictionary[RuleContext, dict[str, tuple[FileReport, ...]]] = WeakKeyDictionary()


def attachment_reports(ctx: RuleContext) -> tuple[FileReport, ...]:
    """One report per attached file, computed once per message check and language."""
    files = ctx.draft.attachments
    if not files:
        return ()  # most messages: nothing to look up or to remember
    language = get_language() or ""
    reports = _reports.setdefault(ctx, {}).get(language)
    if reports is None:
        cap = settings.ATTACHMENT_MAX_TOTAL_BYTES
        contents = _contents.get(ctx)
        if contents is None:
            # Over the cap, only the names are judged: the files are not read at all.
            within_cap = sum(f.size for f in files) <= cap
            contents = tuple(f.read() if within_cap else None for f in files)
            _contents[ctx] = contents
        limits = Limits(max_file_bytes=cap)
        reports = tuple(
            inspect_name(f.name)
            if content is None
            else inspect_file(f.name, content, limits=limits)
            for f, content in zip(files, contents, strict=True)
        )
        _reports[ctx][language] = reports
    return reports


def _findings(ctx: RuleContext, rule_id: str) -> Iterator[Finding]:
    for index, report in enumerate(attachment_reports(ctx)):
        for message in report.messages(rule_id):
            yield Finding(
                rule_id,
                message,
                excerpt=report.display_name,
                location="attachments",
                file=index,
            )


@rule("attach.type")
def attachment_type(ctx: RuleContext) -> Iterator[Finding]:
    """An extension, or a detected content type, that is not on the allowed list; or a
    name that hides the file's type."""
    yield from _findings(ctx, "attach.type")


@rule("attach.content")
def attachment_content(ctx: RuleContext) -> Iterator[Finding]:
    """Content that does not match its extension, is damaged, carries active content or
    other files, or is built to overwhelm the reader."""
    yield from _findings(ctx, "attach.content")


@rule("attach.count")
def attachment_count(ctx: RuleContext) -> Iterator[Finding]:
    count = len(ctx.draft.attachments)
    limit = settings.ATTACHMENT_MAX_FILES
    if ctx.kind is not None and ctx.kind.max_attachments == 0 and count:
        yield Finding(
            "attach.count",
            ngettext(
                "A “{type}” message cannot carry attachments; remove the {count} file.",
                "A “{type}” message cannot carry attachments; remove the {count} files.",
                count,
            ).format(type=ctx.kind.label, count=count),
            location="attachments",
        )
    elif count > limit:
        yield Finding(
            "attach.count",
            _(
                "You attached {count} files; a message can carry at most {limit}. Remove some "
                "and send the rest in another message."
            ).format(count=count, limit=limit),
            location="attachments",
            excerpt=", ".join(f.name for f in ctx.draft.attachments[limit:]),
        )


@rule("attach.size")
def attachment_size(ctx: RuleContext) -> Iterator[Finding]:
    total = sum(f.size for f in ctx.draft.attachments)
    cap = settings.ATTACHMENT_MAX_TOTAL_BYTES
    if total > cap:
        yield Finding(
            "attach.size",
            _("The attachments add up to {total}; one message may carry at most {cap}.").format(
                total=filesizeformat(total), cap=filesizeformat(cap)
            ),
            location="attachments",
        )
