from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "messagecenter.accounts"
    label = "accounts"
    verbose_name = "Accounts and seller businesses"
