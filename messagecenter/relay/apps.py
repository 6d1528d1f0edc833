from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "messagecenter.relay"
    label = "relay"
    verbose_name = _("Masked email relay")

    def ready(self) -> None:
        from messagecenter.relay import handlers  # noqa: F401 - subscribes to events
