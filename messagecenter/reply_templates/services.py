"""Writing reply templates: create, change, delete.

Any member of the business (owner or agent) may do each: templates are the team's shared
words, written by the people who answer buyers. Every save checks the name, the
placeholders and the types, then asks the policy engine (policy_check.py): a template the
policy would block is refused with the engine's explanations; one it would hold, redact
or fix is saved, and the explanations come back as warnings to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from compliance.message_types import SELLER_TYPES
from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.core.errors import UserFacingError
from messagecenter.reply_templates.models import ReplyTemplate
from messagecenter.reply_templates.placeholders import placeholders_in
from messagecenter.reply_templates.policy_check import template_findings

# Letters of any language, digits, "-" and "_": what can follow "/" in the editor.
NAME_PATTERN = re.compile(r"\A[^\W][\w-]{0,39}\Z")
MAX_BODY = 2000


class TemplateBlocked(UserFacingError):
    """The policy would block messages made from this template; ``explanations`` says
    why, one sentence per rule and type."""

    def __init__(self, explanations: list[str]):
        super().__init__(
            gettext("The message policy would block this template.") + " " + " ".join(explanations),
            field="body",
            code="blocked",
        )
        self.explanations = explanations


@dataclass(frozen=True)
class SavedTemplate:
    template: ReplyTemplate
    warnings: list[str] = field(default_factory=list)


def _checked(
    *,
    business: SellerBusiness,
    name: str,
    body: str,
    message_types: list[str],
    excluding: ReplyTemplate | None,
) -> tuple[str, str, list[str], list[str]]:
    name = name.strip().lstrip("/")
    if not NAME_PATTERN.match(name):
        raise UserFacingError(
            gettext(
                "Use 1 to 40 letters, digits, “-” or “_” for the name, starting with a "
                "letter or digit, without spaces: it is what you type after “/”."
            ),
            field="name",
        )
    same_name = ReplyTemplate.objects.filter(business=business, name__iexact=name)
    if excluding is not None:
        same_name = same_name.exclude(pk=excluding.pk)
    if same_name.exists():
        raise UserFacingError(
            gettext("Your team already has a template named “%(name)s”. Choose another name.")
            % {"name": name},
            field="name",
        )
    body = body.replace("\r\n", "\n").replace("\x00", "").strip()
    if not body:
        raise UserFacingError(gettext("Write the template's text."), field="body")
    if len(body) > MAX_BODY:
        raise UserFacingError(
            gettext("Keep the text to %(limit)d characters; it has %(count)d.")
            % {"limit": MAX_BODY, "count": len(body)},
            field="body",
        )
    placeholders_in(body)
    known = [t.id for t in SELLER_TYPES]
    unknown = [t for t in message_types if t not in known]
    if unknown:
        raise UserFacingError(
            gettext("Unknown message type: %(types)s.") % {"types": ", ".join(unknown)},
            field="message_types",
        )
    types = [t for t in known if t in message_types]  # catalogue order, each once
    findings = template_findings(body=body, message_types=types, business=business)
    blocked = [f.explanation() for f in findings if f.blocks]
    if blocked:
        raise TemplateBlocked(blocked)
    return name, body, types, [f.explanation() for f in findings]


def _saved(template: ReplyTemplate) -> None:
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:  # the same name saved meanwhile by a teammate
        raise UserFacingError(
            gettext("Your team already has a template named “%(name)s”. Choose another name.")
            % {"name": template.name},
            field="name",
        ) from error


def reply_template_create(
    *, business: SellerBusiness, author: User, name: str, body: str, message_types: list[str]
) -> SavedTemplate:
    """A new template for the business, checked as the module says."""
    name, body, types, warnings = _checked(
        business=business, name=name, body=body, message_types=message_types, excluding=None
    )
    template = ReplyTemplate(
        business=business,
        name=name,
        body=body,
        message_types=types,
        created_by=author,
        updated_by=author,
    )
    _saved(template)
    return SavedTemplate(template, warnings)


def reply_template_update(
    *, template: ReplyTemplate, editor: User, name: str, body: str, message_types: list[str]
) -> SavedTemplate:
    """The template changed by ``editor``, checked as a new one is."""
    name, body, types, warnings = _checked(
        business=template.business,
        name=name,
        body=body,
        message_types=message_types,
        excluding=template,
    )
    template.name, template.body, template.message_types = name, body, types
    template.updated_by = editor
    _saved(template)
    return SavedTemplate(template, warnings)


def reply_template_delete(*, template: ReplyTemplate) -> None:
    template.delete()
