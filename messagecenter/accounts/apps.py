from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "messagecenter.accounts"
    label = "accounts"
    verbose_name = _("Accounts and seller businesses")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from messagecenter.accounts.signals import first_locale_at_login

        user_logged_in.connect(first_locale_at_login, dispatch_uid="accounts-first-locale")
