from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Messaging policy")

    def ready(self) -> None:
        from compliance.config import policy_changed
        from compliance.models import PolicySettings, RuleSetting

        # The kept policy (config.py) is forgotten whenever what it was read from changes.
        for model in (PolicySettings, RuleSetting):
            post_save.connect(policy_changed, sender=model, dispatch_uid=f"policy-{model.__name__}")
            post_delete.connect(
                policy_changed, sender=model, dispatch_uid=f"policy-gone-{model.__name__}"
            )
