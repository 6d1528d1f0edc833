from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "messagecenter.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from messagecenter.search import handlers  # noqa: F401 - subscribes to events
