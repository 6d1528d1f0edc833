"""The operator's screen for the messaging policy."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Field
from django.forms import TypedChoiceField
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.models import PolicySettings, RuleSetting
from compliance.policy import RULES


def _rule_choice_label(rule_id: str) -> str:
    rule = RULES[rule_id]
    return _("%(rule)s: %(title)s (default %(action)s)") % {
        "rule": rule.id,
        "title": rule.title,
        "action": rule.default.value,
    }


class RuleSettingInline(admin.TabularInline):
    model = RuleSetting
    extra = 1
    verbose_name = gettext_lazy("rule action")
    verbose_name_plural = gettext_lazy("Rule actions")

    def formfield_for_choice_field(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> TypedChoiceField | None:
        # Each rule is offered with its name and default, so nobody needs a list beside it.
        if db_field.name == "rule":
            kwargs["choices"] = [("", "---------")] + [(r, _rule_choice_label(r)) for r in RULES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(PolicySettings)
class PolicySettingsAdmin(admin.ModelAdmin):
    inlines = [RuleSettingInline]
    list_display = ["__str__", "promotions_allowed", "restriction_threshold", "updated_at"]
    readonly_fields = ["rule_defaults"]
    fieldsets = (
        (
            gettext_lazy("Links and contact details"),
            {"fields": ("allowed_link_domains", "phone_regions")},
        ),
        (gettext_lazy("Message types"), {"fields": ("promotions_allowed",)}),
        (
            gettext_lazy("Restrictions"),
            {"fields": ("restriction_threshold", "restriction_lookback_days", "restriction_days")},
        ),
        (
            gettext_lazy("Rule defaults"),
            {
                "fields": ("rule_defaults",),
                "description": gettext_lazy(
                    "What each rule does unless a rule action below says otherwise "
                    "(the defaults of POLICY.md)."
                ),
            },
        ),
    )

    @admin.display(description=gettext_lazy("Default actions"))
    def rule_defaults(self, obj: PolicySettings | None = None) -> SafeString:
        rows = format_html_join(
            "",
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            ((r.id, r.catches, r.default.value) for r in RULES.values()),
        )
        return format_html(
            '<table class="rule-defaults"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Rule"),
            _("What it catches"),
            _("Default"),
            rows,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One policy for the marketplace.
        return not PolicySettings.objects.exists()
