from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messagecenter.messaging"
    label = "messaging"
    verbose_name = _("Messages and attachments")

    def ready(self) -> None:
        from messagecenter.messaging import handlers  # noqa: F401 - subscribes to events
