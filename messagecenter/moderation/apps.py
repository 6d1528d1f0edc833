from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "messagecenter.moderation"
    label = "moderation"
    verbose_name = _("Moderation: review queue and restrictions")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from messagecenter.accounts.models import SellerBusiness
        from messagecenter.moderation import handlers  # noqa: F401 - subscribes to events
        from messagecenter.moderation.kept_restrictions import restrictions_changed
        from messagecenter.moderation.models import SellerRestriction

        # The kept restrictions (kept_restrictions.py) are forgotten whenever what they were
        # read from changes.
        for model in (SellerRestriction, SellerBusiness):
            name = model.__name__
            post_save.connect(restrictions_changed, sender=model, dispatch_uid=f"kept-{name}")
            post_delete.connect(
                restrictions_changed, sender=model, dispatch_uid=f"kept-gone-{name}"
            )
