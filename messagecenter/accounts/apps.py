from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "messagecenter.accounts"
    label = "accounts"
    verbose_name = "Accounts and seller businesses"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from messagecenter.accounts.signals import first_locale_at_login

        user_logged_in.connect(first_locale_at_login, dispatch_uid="accounts-first-locale")
