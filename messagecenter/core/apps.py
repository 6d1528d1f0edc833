from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "messagecenter.core"
    label = "core"
    verbose_name = "Shared plumbing"

    def ready(self) -> None:
        from messagecenter.core.sqlite_functions import register_postgresql_functions

        # The embedded default (SQLite) accepts the PostgreSQL lock calls of raw SQL.
        connection_created.connect(
            register_postgresql_functions, dispatch_uid="core.sqlite_functions"
        )
