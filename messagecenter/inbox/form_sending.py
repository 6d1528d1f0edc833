"""Run a send service on behalf of a web form.

New files become uploads first, so a message that is blocked keeps them: the form shows
them again, and the next Send uses the ticked ones without uploading again. A file the
policy refused is shown unticked, with the reason, so Send does not stumble on it again.
Refusals become form errors that name the rule; held, undeliverable, redacted and fixed
messages are explained after the redirect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _

from compliance.engine import Violation
from compliance.policy import RULES, Action
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import ids_from_request
from messagecenter.messaging.models import Upload
from messagecenter.messaging.sending import SendResult
from messagecenter.messaging.uploads import uploads_create, uploads_for_owner

KEEP_UPLOAD_FIELD = "keep_upload"


@dataclass(frozen=True)
class KeptUpload:
    """A file uploaded with a message that was not sent. ``refusal`` says why the policy
    refused this very file; such a file is shown unticked, so the next Send leaves it out."""

    upload: Upload
    refusal: str = ""


@dataclass
class FormSend:
    """What the page needs after a send attempt."""

    result: SendResult | None = None
    kept_uploads: list[KeptUpload] = field(default_factory=list)


def _kept(uploads: Sequence[Upload], violations: Sequence[Violation] = ()) -> list[KeptUpload]:
    refusals: dict[int, list[str]] = {}
    for violation in violations:
        if violation.action == Action.BLOCK and violation.file is not None:
            refusals.setdefault(violation.file, []).append(_sentence(violation))
    return [
        KeptUpload(upload, " ".join(refusals.get(index, [])))
        for index, upload in enumerate(uploads)
    ]


def kept_uploads_from(request: AuthenticatedHttpRequest) -> list[Upload]:
    ids = ids_from_request(request.POST.getlist(KEEP_UPLOAD_FIELD), what=_("uploaded file"))
    return uploads_for_owner(request.user, ids)


def keep_files_of_invalid_form(request: AuthenticatedHttpRequest) -> FormSend:
    """A form that did not validate still keeps the files chosen with it."""
    new_files = [f for f in request.FILES.getlist("attachments") if f.size]
    return FormSend(
        kept_uploads=_kept(
            kept_uploads_from(request) + uploads_create(owner=request.user, files=new_files)
        )
    )


def send_with_form(
    request: AuthenticatedHttpRequest,
    form: forms.Form,
    send: Callable[[Sequence[Upload]], SendResult],
) -> FormSend:
    """Send, or put the reasons on the form; the uploads survive a refusal."""
    uploads = kept_uploads_from(request) + uploads_create(
        owner=request.user,
        files=form.cleaned_data.get("attachments") or [],
    )
    try:
        result = send(uploads)
    except UserFacingError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return FormSend(kept_uploads=_kept(uploads))
    if result.blocked:
        for violation in result.verdict.violations:
            if violation.action == Action.BLOCK:
                form.add_error(_field_for(violation.location, form), _sentence(violation))
        return FormSend(result=result, kept_uploads=_kept(uploads, result.verdict.violations))
    _explain_outcome(request, result)
    return FormSend(result=result)


def _field_for(location: str, form: forms.Form) -> str | None:
    name = {"body": "body", "subject": "subject", "attachments": "attachments"}.get(location)
    if location == "message" and "message_type" in form.fields:
        name = "message_type"
    return name if name in form.fields else None


def _sentence(violation: Violation) -> str:
    title = RULES[violation.rule].title if violation.rule in RULES else violation.rule
    if violation.excerpt:
        # Translators: a policy rule's title, its id, what it found, and the words it found.
        return _("{title} [{rule}]: {message} (“{excerpt}”)").format(
            title=title,
            rule=violation.rule,
            message=violation.message,
            excerpt=violation.excerpt[:80],
        )
    # Only the rule's words are translated here (its title and message); the layout has none.
    return f"{title} [{violation.rule}]: {violation.message}"


def _explain_outcome(request: AuthenticatedHttpRequest, result: SendResult) -> None:
    verdict = result.verdict
    if result.undeliverable:
        # Kept in the conversation, never shown to the buyer: say so where "Message sent."
        # would have been, as a warning.
        messages.warning(request, undeliverable_notice(result))
        return
    if result.held:
        messages.warning(
            request,
            _(
                "Your message is held for review by the marketplace and has not been "
                "delivered yet: {reasons}"
            ).format(reasons="; ".join(_sentence(v) for v in verdict.by_action(Action.FLAG))),
        )
        return
    changed = verdict.by_action(Action.REDACT) + verdict.by_action(Action.FIX)
    if changed:
        messages.info(
            request,
            _("Your message was delivered with changes: {changes}").format(
                changes="; ".join(_sentence(v) for v in changed)
            ),
        )
    else:
        messages.success(request, _("Message sent."))


def undeliverable_notice(result: SendResult) -> str:
    """What a seller is told at once when the buyer's opt-out stops their message."""
    changed = result.verdict.by_action(Action.REDACT) + result.verdict.by_action(Action.FIX)
    notice = _(
        "Kept, not delivered: the buyer has opted out of messages of this type. Your "
        "message stays in the conversation, marked “Not delivered”; the buyer will not see "
        "it. Messages necessary to complete the order, and answers when the buyer writes "
        "to you, still reach them."
    )
    if changed:
        notice += " " + _("It was kept with changes: {changes}").format(
            changes="; ".join(_sentence(v) for v in changed)
        )
    return str(notice)
