from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "messagecenter.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from messagecenter.search import handlers  # noqa: F401 - subscribes to events
